package io.tasque.samples.support;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The enqueue main of a sample: turns the positional arguments into tasks, submits them and prints one line per
 * job, {@code submitted NAME job ID: LABEL}, plus {@code (due in 5s)} with a delay.
 *
 * <pre>NAME [--broker URI] [--delay 500ms|5s|2m] ARGUMENT...</pre>
 *
 * Every task is made before anything is submitted, so a bad argument submits nothing. The broker is
 * {@code --broker}, else {@code $TASQUE_BROKER}, else an embedded Redis started for this process (which it says,
 * since no worker can see that one). Exit codes are those of {@link SampleMain}: 0 when all were stored, 1 on
 * failure, 2 on bad arguments.
 */
public final class EnqueueMain {

    private final SampleMain main;
    private final String taskName;
    private final TaskFactory tasks;

    /**
     * An enqueue main.
     *
     * @param name     the main's name, e.g. {@code FooEnqueue}
     * @param usage    its usage, printed for {@code --help} and after a usage error
     * @param taskName the name of the tasks it submits, for the lines it prints
     * @param tasks    makes the tasks from the positional arguments
     */
    public EnqueueMain(String name, String usage, String taskName, TaskFactory tasks) {
        this.main = SampleMain.of(name, usage, List.of(SampleArgs.BROKER, SampleArgs.DELAY));
        this.taskName = Objects.requireNonNull(taskName, "taskName");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
    }

    /**
     * Submits the tasks.
     *
     * @param env the process environment, for {@value BrokerChoice#ENV}
     * @return the exit code: 0 when all were stored, 1 on failure, 2 on bad arguments
     */
    public int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String me = main.name();
        return main.run(args, out, err, parsed -> {
            List<Submission> submissions = tasks.create(parsed.positional());
            Duration delay = parsed.delay();
            try (BrokerChoice broker = BrokerChoice.choose(parsed.broker(), env)) {
                if (broker.embedded()) {
                    out.println(me + ": no --broker and no $" + BrokerChoice.ENV + "; started an embedded Redis on "
                            + broker.uri() + ". It is empty and private to this process and stops when it ends, so"
                            + " this is mainly for trying it out; pass --broker to reach your workers");
                }
                try (TasqueClient client = TasqueClient.connect(broker.uri())) {
                    for (Submission submission : submissions) {
                        String id = client.submit(submission.task(), delay);
                        out.println("submitted " + taskName + " job " + id + ": " + submission.label()
                                + (delay.isZero() ? "" : " (due in " + SampleArgs.format(delay) + ")"));
                    }
                }
            }
            return 0;
        });
    }

    /**
     * One task to submit, and how to show it in the line printed after it was submitted.
     *
     * @param task  the task
     * @param label what follows {@code submitted NAME job ID: }, e.g. the quoted text or the URL
     */
    public record Submission(Task task, String label) {

        /** Checks that neither part is null. */
        public Submission {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(label, "label");
        }
    }

    /** Makes the tasks to submit from the positional arguments. */
    @FunctionalInterface
    public interface TaskFactory {

        /**
         * The tasks for these arguments, in the order to submit them.
         *
         * @param arguments the positional arguments, possibly none
         * @throws UsageException if an argument is bad or missing, naming it
         */
        List<Submission> create(List<String> arguments);
    }
}
