package io.tasque.cli;

import io.tasque.broker.BrokerException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns what a command threw into one line on stderr and an exit code: a broker that failed or cannot do what
 * was asked → {@link ExitCodes#BROKER}, an unknown job → {@link ExitCodes#UNKNOWN_JOB}, a value the client
 * refused (a task name, an id) → {@link ExitCodes#USAGE}. Anything else is a bug: its stack trace goes to stderr.
 */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        int code;
        if (e instanceof BrokerException) {
            // the message names the broker without its credentials
            code = ExitCodes.BROKER;
        } else if (e instanceof UnsupportedOperationException) {
            code = ExitCodes.BROKER;
        } else if (e instanceof UnknownJobException) {
            code = ExitCodes.UNKNOWN_JOB;
        } else if (e instanceof IllegalArgumentException) {
            code = ExitCodes.USAGE;
        } else {
            err.println("tasque " + cl.getCommandName() + ": unexpected failure");
            e.printStackTrace(err);
            err.flush();
            return ExitCodes.BROKER;
        }
        err.println("tasque " + cl.getCommandName() + ": " + e.getMessage());
        err.flush();
        return code;
    }
}
