package io.tasque.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Checks of numeric options that picocli's types cannot express. */
final class Limits {

    private Limits() {
    }

    /** A {@code --limit} must be at least 1. */
    static void checkLimit(CommandLine cl, int limit) {
        if (limit < 1) {
            throw new ParameterException(cl, "--limit must be >= 1, was " + limit);
        }
    }
}
