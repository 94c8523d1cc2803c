package io.tasque.cli;

import io.tasque.client.TasqueClient;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code tasque} command: the global options (which broker, how long to wait for it) and the list
 * of subcommands. Build one with {@link #commandLine}, which also sets the exit codes of {@link ExitCodes}.
 */
@Command(name = "tasque", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Looks at and repairs tasque queues: counts, jobs, the dead letter; cancels and submits jobs.",
        footer = {"", "The broker is --broker URI, else the environment variable " + TasqueCli.BROKER_ENV + ".",
                "Exit codes: 0 success, 1 usage error, 2 broker error, 3 unknown job."},
        subcommands = {StatsCommand.class, JobsCommand.class, JobCommand.class, DeadCommand.class,
                RetryDeadCommand.class, DeleteDeadCommand.class, CancelCommand.class, SubmitCommand.class, SchedulesCommand.class, DashboardCommand.class})
public final class TasqueCli implements Runnable {

    /** The environment variable that names the broker when {@code --broker} is not given. */
    public static final String BROKER_ENV = "TASQUE_BROKER";

    private final Function<String, String> environment;
    private final boolean stderrIsTerminal;

    @Spec
    private CommandSpec spec;

    @Option(names = "--broker", paramLabel = "URI",
            description = "Broker URI, e.g. redis://localhost:6379 (default: $" + BROKER_ENV + "). A password in it is never printed.")
    private String broker;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
            description = "How long one broker call may take before the command fails (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    TasqueCli(Function<String, String> environment, boolean stderrIsTerminal) {
        this.environment = environment;
        this.stderrIsTerminal = stderrIsTerminal;
    }

    /**
     * The command line ready to {@link CommandLine#execute execute}: {@code environment} looks up environment
     * variables ({@code System::getenv} in the real command), {@code stderrIsTerminal} says whether bulk commands
     * draw their progress bar without being asked.
     */
    public static CommandLine commandLine(Function<String, String> environment, boolean stderrIsTerminal) {
        CommandLine cl = new CommandLine(new TasqueCli(environment, stderrIsTerminal));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        setUsageExitCode(cl);
        cl.setExecutionExceptionHandler(new FailureHandler());
        return cl;
    }

    private static void setUsageExitCode(CommandLine cl) {
        cl.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        for (CommandLine sub : cl.getSubcommands().values()) {
            setUsageExitCode(sub);
        }
    }

    /** {@code tasque} alone: a usage error that shows the commands. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is missing; one of " + spec.subcommands().keySet());
    }

    /**
     * Connects to the broker of {@code --broker}, else of {@value #BROKER_ENV}.
     *
     * @throws ParameterException when neither names one, or the URI is malformed (a usage error)
     */
    TasqueClient connect(CommandLine caller) {
        String uri = brokerUri(caller);
        try {
            return TasqueClient.builder().broker(uri).enqueueTimeout(timeout).build();
        } catch (IllegalArgumentException e) {
            // BrokerUri's messages show the URI with its password masked
            throw new ParameterException(caller, e.getMessage(), e);
        }
    }

    /**
     * The broker URI of {@code --broker}, else of {@value #BROKER_ENV}.
     *
     * @throws ParameterException when neither names one (a usage error)
     */
    String brokerUri(CommandLine caller) {
        String uri = broker != null ? broker : environment.apply(BROKER_ENV);
        if (uri == null || uri.isBlank()) {
            throw new ParameterException(caller,
                    "no broker: give --broker URI before the command, or set " + BROKER_ENV + " (e.g. redis://localhost:6379)");
        }
        return uri;
    }

    boolean stderrIsTerminal() {
        return stderrIsTerminal;
    }
}
