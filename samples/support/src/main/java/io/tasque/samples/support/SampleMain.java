package io.tasque.samples.support;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The frame of a sample main: parses the command line, answers {@code --help} with the usage, runs the main's
 * body and turns what goes wrong into one line on stderr and an exit code:
 * <ul>
 *   <li>0, or what the body returns, when it ran;</li>
 *   <li>2 on a {@link UsageException}: {@code NAME: MESSAGE; usage: USAGE};</li>
 *   <li>1 when interrupted ({@code NAME: interrupted}) or on an {@link IOException} or other
 *       {@link RuntimeException} ({@code NAME: MESSAGE}).</li>
 * </ul>
 * Instances are immutable.
 */
public final class SampleMain {

    private final String name;
    private final String usage;
    private final List<SampleArgs.Option<?>> options;
    private final String argumentsRejected;

    private SampleMain(String name, String usage, List<SampleArgs.Option<?>> options, String argumentsRejected) {
        this.name = name;
        this.usage = usage;
        this.options = options;
        this.argumentsRejected = argumentsRejected;
    }

    /**
     * A main that accepts the given options and any positional arguments.
     *
     * @param name    the main's name, which starts each line it writes to stderr, e.g. {@code FooWorker}
     * @param usage   the usage, printed for {@code --help} and after a usage error
     * @param options the options it accepts besides {@code --help}, in the order a usage error lists them
     */
    public static SampleMain of(String name, String usage, List<? extends SampleArgs.Option<?>> options) {
        return new SampleMain(name, usage, List.copyOf(options), null);
    }

    /**
     * The same main, rejecting positional arguments: the first one is the usage error
     * {@code unexpected argument 'ARG'; NAME WHY}.
     *
     * @param why what the main takes instead, e.g. {@code "takes options only"}
     */
    public SampleMain rejectingArguments(String why) {
        return new SampleMain(name, usage, options, why);
    }

    /** The main's name, which starts each line it writes to stderr. */
    public String name() {
        return name;
    }

    /** The usage, printed for {@code --help} and after a usage error. */
    public String usage() {
        return usage;
    }

    /**
     * Parses {@code args} and runs {@code body} with them, unless they are bad or ask for help.
     *
     * @return the exit code: what the body returned, 0 after {@code --help}, 2 on a usage error, 1 on a failure
     */
    public int run(String[] args, PrintStream out, PrintStream err, Body body) {
        try {
            SampleArgs parsed = SampleArgs.parse(args, options);
            if (parsed.help()) {
                out.println("usage: " + usage);
                return 0;
            }
            if (argumentsRejected != null && !parsed.positional().isEmpty()) {
                throw new UsageException("unexpected argument '" + parsed.positional().get(0) + "'; " + name + " "
                        + argumentsRejected);
            }
            return body.run(parsed);
        } catch (UsageException e) {
            err.println(name + ": " + e.getMessage() + "; usage: " + usage);
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(name + ": interrupted");
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        }
    }

    /** What a main does once its command line was read. */
    @FunctionalInterface
    public interface Body {

        /**
         * Does the main's work.
         *
         * @param args the parsed command line
         * @return the exit code
         * @throws UsageException if an argument turns out to be bad, naming it
         */
        int run(SampleArgs args) throws IOException, InterruptedException;
    }
}
