package io.tasque.samples.support;

import io.tasque.worker.TaskHandler;
import io.tasque.worker.Worker;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The worker main of a sample: runs the tasks of one name from the broker until Ctrl-C or SIGTERM, then drains.
 *
 * <pre>NAME [--broker URI] [--concurrency N] [sample options]</pre>
 *
 * The broker is {@code --broker}, else {@code $TASQUE_BROKER}, else an embedded Redis started for this process,
 * whose URI it prints with a command to submit to it. It takes no positional arguments. Exit codes are those of
 * {@link SampleMain}: 0 after a clean stop, 1 on failure, 2 on bad arguments.
 */
public final class WorkerMain {

    private final SampleMain main;
    private final String taskName;
    private final HandlerFactory handlers;
    private final String enqueueName;
    private final String enqueueExample;

    private WorkerMain(Builder b) {
        List<SampleArgs.Option<?>> options = new ArrayList<>(List.of(SampleArgs.BROKER, SampleArgs.CONCURRENCY));
        options.addAll(b.options);
        this.main = SampleMain.of(b.name, b.usage, options).rejectingArguments("takes options only" + b.argumentsHint);
        this.taskName = b.taskName;
        this.handlers = b.handlers;
        this.enqueueName = b.enqueueName;
        this.enqueueExample = b.enqueueExample;
    }

    /**
     * Starts describing a worker main.
     *
     * @param name  the main's name, e.g. {@code FooWorker}
     * @param usage its usage, printed for {@code --help} and after a usage error
     */
    public static Builder builder(String name, String usage) {
        return new Builder(name, usage);
    }

    /**
     * Runs the worker until it is closed.
     *
     * @param env the process environment, for {@value BrokerChoice#ENV}
     * @return the exit code: 0 after a clean stop, 1 on failure, 2 on bad arguments
     */
    public int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String me = main.name();
        return main.run(args, out, err, parsed -> {
            Handling handling = handlers.create(parsed);
            try (BrokerChoice broker = BrokerChoice.choose(parsed.broker(), env)) {
                if (broker.embedded()) {
                    out.println(me + ": no --broker and no $" + BrokerChoice.ENV + "; started an embedded Redis on "
                            + broker.uri() + " (it stops with this process)");
                    out.println(me + ": submit to it from another terminal with: " + enqueueName + " --broker "
                            + broker.uri() + " " + enqueueExample);
                }
                Worker worker = Worker.builder()
                        .broker(broker.uri())
                        .concurrency(parsed.concurrency())
                        .handle(taskName, handling.handler())
                        .build();
                out.println(me + ": handling '" + taskName + "' tasks from " + broker.describe()
                        + " with concurrency " + parsed.concurrency() + handling.detail()
                        + "; stop with Ctrl-C or SIGTERM");
                try {
                    worker.run();
                } finally {
                    worker.close();
                }
                if (Thread.interrupted()) {
                    // run() returned because this thread was interrupted: report it like any other interruption
                    throw new InterruptedException("worker interrupted");
                }
            }
            return 0;
        });
    }

    /**
     * The handler a worker main runs, and what to add to the line it prints when it starts handling.
     *
     * @param handler the handler of the main's task name
     * @param detail  appended to {@code ... with concurrency N}, e.g. {@code ", saving into /srv/downloads"}; may be empty
     */
    public record Handling(TaskHandler handler, String detail) {

        /** Checks that neither part is null. */
        public Handling {
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(detail, "detail");
        }

        /** A handler with nothing to add to the starting line. */
        public Handling(TaskHandler handler) {
            this(handler, "");
        }
    }

    /** Makes the handler from the command line, before the broker is chosen. */
    @FunctionalInterface
    public interface HandlerFactory {

        /**
         * The handler for these arguments.
         *
         * @throws UsageException if a sample option is bad, naming it
         */
        Handling create(SampleArgs args);
    }

    /** Describes a worker main; {@link #handle} and {@link #submitHint} are required. */
    public static final class Builder {

        private final String name;
        private final String usage;
        private final List<SampleArgs.Option<?>> options = new ArrayList<>();
        private String argumentsHint = "";
        private String taskName;
        private HandlerFactory handlers;
        private String enqueueName;
        private String enqueueExample;

        private Builder(String name, String usage) {
            this.name = Objects.requireNonNull(name, "name");
            this.usage = Objects.requireNonNull(usage, "usage");
        }

        /** Accepts a sample option too, after {@code --broker} and {@code --concurrency}. */
        public Builder option(SampleArgs.Option<?> option) {
            options.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /**
         * Adds to the usage error for a positional argument, which otherwise ends in {@code takes options only},
         * e.g. {@code " (give URLs to DownloadEnqueue)"}.
         */
        public Builder argumentsHint(String hint) {
            this.argumentsHint = Objects.requireNonNull(hint, "hint");
            return this;
        }

        /** The task name to handle, and how to make its handler from the command line. */
        public Builder handle(String taskName, HandlerFactory handlers) {
            this.taskName = Objects.requireNonNull(taskName, "taskName");
            this.handlers = Objects.requireNonNull(handlers, "handlers");
            return this;
        }

        /**
         * The command printed for submitting to an embedded Redis: {@code ENQUEUE --broker URI EXAMPLE}.
         *
         * @param enqueueName the enqueue main, e.g. {@code FooEnqueue}
         * @param example     its arguments after the broker, e.g. {@code "some text"} with the quotes
         */
        public Builder submitHint(String enqueueName, String example) {
            this.enqueueName = Objects.requireNonNull(enqueueName, "enqueueName");
            this.enqueueExample = Objects.requireNonNull(example, "example");
            return this;
        }

        /**
         * The worker main.
         *
         * @throws IllegalStateException if {@link #handle} or {@link #submitHint} was not called
         */
        public WorkerMain build() {
            if (handlers == null || enqueueName == null) {
                throw new IllegalStateException("a worker main needs handle(...) and submitHint(...)");
            }
            return new WorkerMain(this);
        }
    }
}
