package io.tasque.cli;

/** A command named a job the broker does not hold (in the state the command needs); exits with {@link ExitCodes#UNKNOWN_JOB}. */
final class UnknownJobException extends RuntimeException {

    UnknownJobException(String message) {
        super(message);
    }
}
