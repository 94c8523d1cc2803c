package io.tasque.reliability;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Captures what this JVM writes to {@code System.err} — where slf4j-simple logs — from {@link #start()} to
 * {@link #close()}, while still passing it through.
 */
final class LogCapture implements AutoCloseable {

    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture() {
        this.original = System.err;
    }

    static LogCapture start() {
        LogCapture c = new LogCapture();
        System.setErr(new PrintStream(new Tee(c.original, c.captured), true, StandardCharsets.UTF_8));
        return c;
    }

    List<String> lines() {
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** Captured lines that contain {@code text}. */
    List<String> linesContaining(String text) {
        return lines().stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    /** Writes every byte to both streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
