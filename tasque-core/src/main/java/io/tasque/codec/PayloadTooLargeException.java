package io.tasque.codec;

/** Thrown at submit when a task's encoded payload is over the configured size limit; nothing is enqueued. */
public final class PayloadTooLargeException extends IllegalArgumentException {

    private final int size;
    private final int limit;

    public PayloadTooLargeException(String taskName, int size, int limit) {
        super("payload of task '" + taskName + "' is " + size + " bytes, over the limit of " + limit
                + " bytes (maxPayloadBytes); store large data elsewhere and pass a reference");
        this.size = size;
        this.limit = limit;
    }

    public int size() {
        return size;
    }

    public int limit() {
        return limit;
    }
}
