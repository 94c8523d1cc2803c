package io.tasque;

import io.tasque.broker.disque.GoTasqueCodec;
import io.tasque.codec.EnvelopeCodec;
import io.tasque.codec.TaskCodec;
import java.util.List;

/** Core's precision checks of task params, through Go tasque's JSON codec. */
class GoTasqueParamPrecisionTest extends ParamPrecisionTest {

    @Override
    protected List<TaskCodec> codecs() {
        return List.of(new GoTasqueCodec(EnvelopeCodec.DEFAULT_MAX_PAYLOAD_BYTES));
    }
}
