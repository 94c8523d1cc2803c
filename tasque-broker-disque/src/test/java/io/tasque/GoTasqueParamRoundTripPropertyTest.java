package io.tasque;

import io.tasque.broker.disque.GoTasqueCodec;
import io.tasque.codec.EnvelopeCodec;
import io.tasque.codec.TaskCodec;
import java.util.List;

/** Core's round-trip properties of task params, through Go tasque's JSON codec. */
class GoTasqueParamRoundTripPropertyTest extends ParamRoundTripPropertyTest {

    @Override
    protected List<TaskCodec> codecs() {
        return List.of(new GoTasqueCodec(EnvelopeCodec.MAX_PAYLOAD_BYTES));
    }
}
