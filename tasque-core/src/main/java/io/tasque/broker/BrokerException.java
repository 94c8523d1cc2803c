package io.tasque.broker;

/**
 * A broker could not be reached or refused a command; the message always names the broker. {@link #kind()}
 * tells an outage (worth waiting out) from a refusal (wrong password, missing permission: a configuration to
 * fix) and from bad data (a key holding the wrong type of value: one queue to repair).
 */
public class BrokerException extends RuntimeException {

    /** What went wrong, as far as the caller can act on it. */
    public enum Kind {
        /** The server did not answer, or the connection broke: retry with backoff, it may come back. */
        UNREACHABLE,
        /** The server answered but refused us: wrong password, missing ACL permission. Fix the configuration. */
        REFUSED,
        /** The server answered but a key holds data tasque cannot use (wrong type): one queue needs repair. */
        DATA
    }

    private final String broker;
    private final Kind kind;

    /** A call to {@code broker} that failed because it could not be reached. */
    public BrokerException(String broker, String message, Throwable cause) {
        this(broker, Kind.UNREACHABLE, message, cause);
    }

    /** A call to {@code broker} that failed for a reason of {@code kind}. */
    public BrokerException(String broker, Kind kind, String message, Throwable cause) {
        super(broker + ": " + message, cause);
        this.broker = broker;
        this.kind = kind;
    }

    /** The broker URI without credentials. */
    public String broker() {
        return broker;
    }

    /** Whether this is an outage, a refusal or bad data. */
    public Kind kind() {
        return kind;
    }
}
