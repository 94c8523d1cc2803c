package io.tasque.codec;

/** Thrown at submit when a task's encoded payload is over the configured size limit; nothing is enqueued. */
public final class PayloadTooLargeException extends IllegalArgumentException {

    private final int size;
    private final int limit;

    /** A task named {@code taskName} that encodes to {@code size} bytes, over the {@code limit}. */
    public PayloadTooLargeException(String taskName, int size, int limit) {
        super("payload of task '" + taskName + "' is " + size + " bytes, over the limit of " + limit
                + " bytes (maxPayloadBytes); store large data elsewhere and pass a reference");
        this.size = size;
        this.limit = limit;
    }

    /** The encoded size, in bytes. */
    public int size() {
        return size;
    }

    /** The most bytes a payload may have. */
    public int limit() {
        return limit;
    }
}
