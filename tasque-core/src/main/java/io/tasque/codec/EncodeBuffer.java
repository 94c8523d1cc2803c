package io.tasque.codec;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;

/**
 * One output buffer per thread for the envelope writer, so encoding a task allocates the payload it returns and
 * little else. A buffer that grew past {@link #KEPT_BYTES} for a large task is dropped after use rather than held
 * by the thread.
 */
final class EncodeBuffer {

    /** The size a new buffer starts at: room for a typical small task. */
    static final int INITIAL_BYTES = 512;
    /** The largest buffer a thread keeps between calls: 16 KiB. */
    static final int KEPT_BYTES = 16 * 1024;

    private static final ThreadLocal<ByteArrayBuilder> BUFFERS = new ThreadLocal<>();

    private EncodeBuffer() {
    }

    /** This thread's buffer, empty; a fresh one when the last was dropped or is in use further up the stack. */
    static ByteArrayBuilder take() {
        ByteArrayBuilder b = BUFFERS.get();
        if (b == null) {
            return new ByteArrayBuilder(INITIAL_BYTES);
        }
        BUFFERS.set(null);
        return b;
    }

    /** Returns a buffer taken with {@link #take()}: emptied and kept when it is small, dropped when it grew large. */
    static void giveBack(ByteArrayBuilder b) {
        if (b.size() > KEPT_BYTES || b.getCurrentSegment().length > KEPT_BYTES) {
            return;
        }
        b.reset();
        BUFFERS.set(b);
    }
}
