package io.tasque.cli;

import io.tasque.client.TasqueClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: a client connected to the global {@code --broker} for the length of one run,
 * {@code --json}, and the command line's stdout and stderr (data on stdout, everything else on stderr).
 */
abstract class BrokerCommand implements Callable<Integer> {

    @ParentCommand
    TasqueCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON document on stdout instead of a table.")
    boolean json;

    @Override
    public final Integer call() {
        checkArguments();
        try (TasqueClient client = cli.connect(spec.commandLine())) {
            int code = run(client);
            out().flush();
            err().flush();
            return code;
        }
    }

    /** Refuses arguments that picocli's types cannot (throws {@link picocli.CommandLine.ParameterException}); runs before connecting. */
    void checkArguments() {
    }

    /** Does the command's work with a connected client; returns the exit code. */
    abstract int run(TasqueClient client);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints {@code value} as one JSON document on stdout. */
    void printJson(Object value) {
        out().println(Json.write(value));
    }
}
