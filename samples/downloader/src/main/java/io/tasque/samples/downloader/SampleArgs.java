package io.tasque.samples.downloader;

import io.tasque.client.TasqueClient;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the command line of the sample mains: {@code --broker URI}, {@code --concurrency N},
 * {@code --delay 500ms|5s|2m}, {@code --dir PATH} (each also as {@code --name=value}) and positional arguments.
 * Each main says which options it accepts; anything else is a {@link UsageException}.
 */
final class SampleArgs {

    static final String BROKER = "--broker";
    static final String CONCURRENCY = "--concurrency";
    static final String DELAY = "--delay";
    static final String DIR = "--dir";
    static final String HELP = "--help";

    static final int DEFAULT_CONCURRENCY = 4;

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private String broker;
    private int concurrency = DEFAULT_CONCURRENCY;
    private Duration delay = Duration.ZERO;
    private Path dir;
    private boolean help;
    private final List<String> positional = new ArrayList<>();

    private SampleArgs() {
    }

    /**
     * Parses {@code args}, accepting only the given options (plus {@code --help}/{@code -h}).
     *
     * @throws UsageException naming the bad argument
     */
    static SampleArgs parse(String[] args, List<String> accepted) {
        SampleArgs parsed = new SampleArgs();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals(HELP)) {
                parsed.help = true;
                continue;
            }
            if (arg.equals("--")) {
                parsed.positional.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (!arg.startsWith("--")) {
                parsed.positional.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!accepted.contains(name)) {
                throw new UsageException("unknown option '" + name + "'; "
                        + (accepted.isEmpty() ? "this command takes none" : "accepted: " + String.join(", ", accepted)));
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(name + " needs a value");
            }
            parsed.set(name, value);
        }
        return parsed;
    }

    private void set(String name, String value) {
        switch (name) {
            case BROKER -> broker = requireNonBlank(name, value);
            case CONCURRENCY -> concurrency = parseConcurrency(value);
            case DELAY -> delay = parseDuration(name, value);
            case DIR -> dir = parsePath(name, value);
            default -> throw new IllegalStateException("option " + name + " is accepted but not handled");
        }
    }

    /** The {@code --broker} value, or null when it was not given. */
    String broker() {
        return broker;
    }

    /** The {@code --concurrency} value, {@value #DEFAULT_CONCURRENCY} by default. */
    int concurrency() {
        return concurrency;
    }

    /** The {@code --delay} value, zero by default. */
    Duration delay() {
        return delay;
    }

    /** The {@code --dir} value, or null when it was not given. */
    Path dir() {
        return dir;
    }

    /** True if {@code --help} or {@code -h} was given. */
    boolean help() {
        return help;
    }

    /** The arguments that are not options, in order. */
    List<String> positional() {
        return List.copyOf(positional);
    }

    /**
     * Reads a duration written as a whole number and a unit: {@code 500ms}, {@code 5s} or {@code 2m}.
     *
     * @throws UsageException naming the option and the value
     */
    static Duration parseDuration(String option, String value) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException(option + " '" + value + "' is not a duration; write it like 500ms, 5s or 2m");
        }
        long amount = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
        if (d.compareTo(TasqueClient.MAX_DELAY) > 0) {
            throw new UsageException(option + " '" + value + "' is over the limit of "
                    + TasqueClient.MAX_DELAY.toDays() + " days");
        }
        return d;
    }

    /** Writes a duration the way {@link #parseDuration} reads it: {@code 2m}, {@code 5s} or {@code 500ms}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms != 0 && ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    private static int parseConcurrency(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(CONCURRENCY + " '" + value + "' is not a whole number from 1 to 10000; e.g. "
                + CONCURRENCY + " 4");
    }

    private static Path parsePath(String option, String value) {
        if (value.isBlank()) {
            throw new UsageException(option + " is empty; give a directory such as ./downloads");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(option + " '" + value + "' is not a valid path (" + e.getReason() + ")");
        }
    }

    private static String requireNonBlank(String option, String value) {
        if (value.isBlank()) {
            throw new UsageException(option + " is empty; give a value such as redis://localhost:6379");
        }
        return value.trim();
    }
}
