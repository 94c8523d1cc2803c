package io.tasque.samples.support;

/**
 * A bad command line: the message names the bad value and how to fix it. {@link SampleMain} turns it into one
 * line on stderr, followed by the usage, and exit code 2.
 */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A usage error with a message that names the bad value and how to fix it. */
    public UsageException(String message) {
        super(message);
    }
}
