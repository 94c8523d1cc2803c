package io.tasque.codec;

/** A stored payload that is not a valid envelope; the worker dead-letters such a job with this reason. */
public final class UndecodablePayloadException extends RuntimeException {

    /** A payload that cannot be decoded, for {@code reason} (it becomes the dead-letter reason). */
    public UndecodablePayloadException(String reason) {
        super(reason);
    }
}
