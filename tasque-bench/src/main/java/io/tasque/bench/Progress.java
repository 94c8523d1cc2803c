package io.tasque.bench;

import java.util.Locale;

/** Prints the benchmark's progress lines on stdout, each prefixed with {@code [tasque]} like the peer benches. */
final class Progress {

    private static final String PREFIX = "[tasque] ";

    private Progress() {
    }

    static void line(String text) {
        System.out.println(PREFIX + text);
        System.out.flush();
    }

    static void line(String format, Object... args) {
        line(String.format(Locale.ROOT, format, args));
    }
}
