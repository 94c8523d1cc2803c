package io.tasque.codec;

/** A stored payload that is not a valid envelope; the worker dead-letters such a job with this reason. */
public final class UndecodablePayloadException extends RuntimeException {

    public UndecodablePayloadException(String reason) {
        super(reason);
    }
}
