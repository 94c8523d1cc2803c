package io.tasque.cli;

/** Entry point of the runnable jar: runs one {@code tasque} command and exits with its code. */
public final class Main {

    /** System property the launcher script sets to true when stderr is a terminal (Java cannot tell by itself). */
    static final String STDERR_TTY_PROPERTY = "tasque.stderr.tty";

    private Main() {
    }

    /** Runs {@code tasque} with {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        boolean stderrIsTerminal = Boolean.getBoolean(STDERR_TTY_PROPERTY);
        int code = TasqueCli.commandLine(System::getenv, stderrIsTerminal).execute(args);
        System.exit(code);
    }
}
