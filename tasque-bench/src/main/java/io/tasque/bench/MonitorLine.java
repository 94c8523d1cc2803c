package io.tasque.bench;

import java.util.Locale;

/**
 * One line of Redis {@code MONITOR} output, e.g. {@code 1700000000.123456 [0 127.0.0.1:50312] "evalsha" "…"}:
 * the server time in microseconds, the client part ({@code 127.0.0.1:50312}, {@code [::1]:50312}, or
 * {@code lua} for a command a script ran) and the command name in lower case.
 */
record MonitorLine(long micros, String client, String command) {

    /** The line, or null when it is not a command line (such as the {@code OK} that starts the stream). */
    static MonitorLine parse(String line) {
        if (line == null) {
            return null;
        }
        int space = line.indexOf(' ');
        int open = line.indexOf('[');
        int close = open < 0 ? -1 : line.indexOf("] \"", open);
        if (space < 1 || open != space + 1 || close < 0) {
            return null;
        }
        int quote = close + 2;
        long micros = micros(line.substring(0, space));
        if (micros < 0) {
            return null;
        }
        String inside = line.substring(open + 1, close);
        int db = inside.indexOf(' ');
        String client = db < 0 ? inside : inside.substring(db + 1);
        int end = quote + 1;
        while (end < line.length() && line.charAt(end) != '"') {
            end += line.charAt(end) == '\\' ? 2 : 1;
        }
        String command = line.substring(quote + 1, Math.min(end, line.length())).toLowerCase(Locale.ROOT);
        return new MonitorLine(micros, client, command);
    }

    /** True for a command run inside a Lua script or function ({@code [0 lua]}), not sent by a client. */
    boolean inScript() {
        return client.endsWith("lua");
    }

    /** {@code "1700000000.123456"} as microseconds, or -1. */
    private static long micros(String stamp) {
        int dot = stamp.indexOf('.');
        try {
            if (dot < 0) {
                return Long.parseLong(stamp) * 1_000_000L;
            }
            String fraction = (stamp.substring(dot + 1) + "000000").substring(0, 6);
            return Long.parseLong(stamp.substring(0, dot)) * 1_000_000L + Long.parseLong(fraction);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
