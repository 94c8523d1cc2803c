package io.tasque.samples.support;

import io.tasque.client.TasqueClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the command line of the sample mains: the shared options {@link #BROKER --broker URI},
 * {@link #CONCURRENCY --concurrency N} and {@link #DELAY --delay 500ms|5s|2m}, any option a sample declares with
 * {@link Option#of}, each also as {@code --name=value}, {@code --help}/{@code -h}, and positional arguments
 * ({@code --} ends the options). Each main says which options it accepts; anything else is a
 * {@link UsageException}.
 */
public final class SampleArgs {

    /** Asks for the usage; {@code -h} works too. Every main accepts it. */
    public static final String HELP = "--help";

    /** The {@code --concurrency} of a worker main that is not given one. */
    public static final int DEFAULT_CONCURRENCY = 4;

    /** {@code --broker URI}: the broker to connect to; null when not given. */
    public static final Option<String> BROKER = Option.of("--broker", null, SampleArgs::requireNonBlank);
    /** {@code --concurrency N}: how many tasks a worker runs at once, 1 to 10000; {@value #DEFAULT_CONCURRENCY} when not given. */
    public static final Option<Integer> CONCURRENCY = Option.of("--concurrency", DEFAULT_CONCURRENCY,
            (option, value) -> parseConcurrency(value));
    /** {@code --delay 500ms|5s|2m}: how long a submitted task waits before it is due; zero when not given. */
    public static final Option<Duration> DELAY = Option.of("--delay", Duration.ZERO, SampleArgs::parseDuration);

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private final Map<Option<?>, Object> values = new HashMap<>();
    private boolean help;
    private final List<String> positional = new ArrayList<>();

    private SampleArgs() {
    }

    /**
     * Parses {@code args}, accepting only the given options (plus {@code --help}/{@code -h}).
     *
     * @throws UsageException naming the bad argument
     */
    public static SampleArgs parse(String[] args, List<? extends Option<?>> accepted) {
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
            Option<?> option = find(accepted, name);
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(name + " needs a value");
            }
            parsed.values.put(option, option.parse(value));
        }
        return parsed;
    }

    private static Option<?> find(List<? extends Option<?>> accepted, String name) {
        for (Option<?> option : accepted) {
            if (option.name().equals(name)) {
                return option;
            }
        }
        List<String> names = accepted.stream().map(Option::name).toList();
        throw new UsageException("unknown option '" + name + "'; "
                + (names.isEmpty() ? "this command takes none" : "accepted: " + String.join(", ", names)));
    }

    /** The value of {@code option}: as given on the command line, else its {@linkplain Option#fallback fallback}. */
    public <T> T get(Option<T> option) {
        return values.containsKey(option) ? option.type(values.get(option)) : option.fallback();
    }

    /** The {@code --broker} value, or null when it was not given. */
    public String broker() {
        return get(BROKER);
    }

    /** The {@code --concurrency} value, {@value #DEFAULT_CONCURRENCY} by default. */
    public int concurrency() {
        return get(CONCURRENCY);
    }

    /** The {@code --delay} value, zero by default. */
    public Duration delay() {
        return get(DELAY);
    }

    /** True if {@code --help} or {@code -h} was given. */
    public boolean help() {
        return help;
    }

    /** The arguments that are not options, in order. */
    public List<String> positional() {
        return List.copyOf(positional);
    }

    /**
     * Reads a duration written as a whole number and a unit: {@code 500ms}, {@code 5s} or {@code 2m}.
     *
     * @throws UsageException naming the option and the value
     */
    public static Duration parseDuration(String option, String value) {
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
    public static String format(Duration d) {
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
        throw new UsageException(CONCURRENCY.name() + " '" + value + "' is not a whole number from 1 to 10000; e.g. "
                + CONCURRENCY.name() + " 4");
    }

    private static String requireNonBlank(String option, String value) {
        if (value.isBlank()) {
            throw new UsageException(option + " is empty; give a value such as redis://localhost:6379");
        }
        return value.trim();
    }

    /**
     * Reads the text of one option into its value.
     *
     * @param <T> the type of the value
     */
    @FunctionalInterface
    public interface ValueParser<T> {

        /**
         * The value {@code value} stands for.
         *
         * @param option the option's name, for messages, e.g. {@code --dir}
         * @param value  the text given for it, possibly empty
         * @throws UsageException naming the option and the value, if it is not valid
         */
        T parse(String option, String value);
    }

    /**
     * An option that takes a value, {@code --name value} or {@code --name=value}: the shared ones are constants of
     * {@link SampleArgs}; a sample declares its own with {@link #of} and lists it among the options its main
     * accepts. Options are compared by identity.
     *
     * @param <T> the type of the value
     */
    public static final class Option<T> {

        private final String name;
        private final T fallback;
        private final ValueParser<T> parser;

        private Option(String name, T fallback, ValueParser<T> parser) {
            this.name = name;
            this.fallback = fallback;
            this.parser = parser;
        }

        /**
         * Declares an option.
         *
         * @param name     the option as written on the command line, starting with {@code --}, e.g. {@code --dir}
         * @param fallback the value when the option is not given; may be null
         * @param parser   reads the given text, throwing a {@link UsageException} when it is not valid
         * @throws IllegalArgumentException if the name does not start with {@code --} or is {@value SampleArgs#HELP}
         */
        public static <T> Option<T> of(String name, T fallback, ValueParser<T> parser) {
            if (!name.startsWith("--") || name.length() < 3 || name.contains("=") || name.equals(HELP)) {
                throw new IllegalArgumentException("option name '" + name + "' must be --something other than "
                        + HELP + ", without '='");
            }
            return new Option<>(name, fallback, Objects.requireNonNull(parser, "parser"));
        }

        /** The option as written on the command line, e.g. {@code --dir}. */
        public String name() {
            return name;
        }

        /** The value when the option is not given; may be null. */
        public T fallback() {
            return fallback;
        }

        private T parse(String value) {
            return parser.parse(name, value);
        }

        @SuppressWarnings("unchecked")
        private T type(Object value) {
            return (T) value; // only values parsed by this option are stored under it
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
