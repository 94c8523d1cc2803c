package io.tasque.cli;

import io.tasque.dashboard.Dashboard;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tasque dashboard}: serves the web dashboard for the broker until the process is stopped (Ctrl-C), printing
 * its address with the token.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serves the web dashboard until stopped; prints its address with the token to log in with.")
final class DashboardCommand implements Callable<Integer> {

    @ParentCommand
    TasqueCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "The port to listen on (default ${DEFAULT-VALUE}; 0: any free port).", defaultValue = "7788")
    int port;

    @Option(names = "--token", description = "The token actions need (default: a random one, printed at start).")
    String token;

    @Option(names = "--bind", description = "The address to listen on (default ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String bind;

    /** Counted down to end the command (its tests; a real run ends with the process). */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        Dashboard.Builder b = Dashboard.builder().broker(cli.brokerUri(spec.commandLine())).port(port).bind(bind);
        if (token != null) {
            b.token(token);
        }
        Dashboard dashboard;
        try {
            dashboard = b.build().start();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try {
            spec.commandLine().getOut().println("tasque dashboard: " + dashboard.url() + "?token=" + dashboard.token());
            spec.commandLine().getOut().flush();
            stop.await();
            return ExitCodes.OK;
        } finally {
            dashboard.stop();
        }
    }
}
