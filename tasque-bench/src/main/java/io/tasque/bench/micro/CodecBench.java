package io.tasque.bench.micro;

import io.tasque.codec.Envelope;
import io.tasque.codec.EnvelopeCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** {@link EnvelopeCodec} encoding and decoding one small task's envelope (the JSON stored in Redis). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBench {

    private EnvelopeCodec codec;
    private Envelope envelope;
    private byte[] encoded;

    @Setup
    public void setUp() {
        codec = new EnvelopeCodec();
        envelope = SmallTask.envelope();
        encoded = codec.encode(envelope);
    }

    @Benchmark
    public byte[] encode() {
        return codec.encode(envelope);
    }

    @Benchmark
    public Envelope decode() {
        return codec.decode(encoded);
    }
}
