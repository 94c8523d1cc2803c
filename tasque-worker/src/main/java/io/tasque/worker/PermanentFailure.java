package io.tasque.worker;

/**
 * Thrown by a handler to say its job can never succeed (a 404, a request the remote side refuses for good, a
 * record that no longer exists): the job goes straight to the dead letter with this message as its reason,
 * without waiting out its remaining attempts ("permanent failure: " + the message, then the stack summary). It
 * counts when found as the cause of what the handler threw, too (an ExecutionException around it, say). Exception
 * types of your own can be marked the same way per handler with {@link HandlerOptions.Builder#noRetryOn}. Any other
 * exception is retried as usual.
 */
public class PermanentFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure that will never go away, with the reason the dead letter keeps. */
    public PermanentFailure(String message) {
        super(message);
    }

    /** A failure that will never go away, with the reason and its cause. */
    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
