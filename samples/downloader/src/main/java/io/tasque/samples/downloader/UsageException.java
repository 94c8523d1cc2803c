package io.tasque.samples.downloader;

/** A bad command line: the message names the bad value and how to fix it. Mains turn it into exit code 2. */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
