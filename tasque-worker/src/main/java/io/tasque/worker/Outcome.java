package io.tasque.worker;

import java.time.Duration;

/**
 * What one run of a job came to, as the {@link Processor} decided it; the {@link LeaseLoop} tells the broker.
 * The processor never calls the broker itself.
 */
sealed interface Outcome {

    /** The handler returned normally: the job is acked. */
    Outcome SUCCEEDED = new Succeeded();
    /** No handler here for the job's queue: it goes back to its queue, its attempt not counted. */
    Outcome RELEASE = new Release();
    /**
     * The job was cancelled while this run went on: its ack tells the broker the run is over, and the broker deletes
     * the job as cancelled (the ack is refused), whatever the handler did.
     */
    Outcome CANCELLED = new Cancelled();
    /** Nothing to tell the broker: the run was handed back at shutdown, or settled by whoever gave it up. */
    Outcome ALREADY_SETTLED = new AlreadySettled();

    record Succeeded() implements Outcome {
    }

    /**
     * A failed attempt to run again at {@code dueAtMillis} ({@code delay} from now); {@code error} is stored with
     * the job, {@code summary} is its one-line form for the log.
     */
    record Retry(long dueAtMillis, Duration delay, String error, String summary) implements Outcome {
    }

    /** The job goes to the dead letter with {@code reason}. */
    record Bury(String reason) implements Outcome {
    }

    record Release() implements Outcome {
    }

    record Cancelled() implements Outcome {
    }

    record AlreadySettled() implements Outcome {
    }
}
