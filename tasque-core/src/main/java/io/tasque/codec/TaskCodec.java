package io.tasque.codec;

/**
 * Turns an {@link Envelope} into the bytes a broker stores and back. Each broker picks the wire format its
 * queue speaks (Redis: tasque's versioned envelope; Disque: Go tasque's JSON).
 */
public interface TaskCodec {

    /**
     * @throws PayloadTooLargeException when the encoded form is over the size limit
     * @throws IllegalArgumentException when a param cannot be encoded
     */
    byte[] encode(Envelope envelope);

    /** @throws UndecodablePayloadException with the reason when the bytes are not a valid task */
    Envelope decode(byte[] payload);
}
