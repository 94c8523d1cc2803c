package io.tasque.cli;

/** The exit codes scripts can rely on. */
public final class ExitCodes {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The command line was wrong: an unknown option, a missing argument, a value that does not parse, no broker. */
    public static final int USAGE = 1;
    /** The broker could not be reached, refused us, or cannot do what was asked; or the command failed at run time. */
    public static final int BROKER = 2;
    /** The job named is not there (or, for {@code cancel}, no longer cancellable). */
    public static final int UNKNOWN_JOB = 3;

    private ExitCodes() {
    }
}
