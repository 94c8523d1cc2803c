package io.tasque.broker;

/** A broker could not be reached or refused a command; the message always names the broker. */
public class BrokerException extends RuntimeException {

    private final String broker;

    public BrokerException(String broker, String message, Throwable cause) {
        super(broker + ": " + message, cause);
        this.broker = broker;
    }

    /** The broker URI without credentials. */
    public String broker() {
        return broker;
    }
}
