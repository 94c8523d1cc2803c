package io.tasque.bench.micro;

import java.io.IOException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the micro-benchmarks of this package with JMH. Takes JMH's own command-line options (a benchmark
 * regex, {@code -f}, {@code -wi}, {@code -i}, {@code -w}, {@code -r}, {@code -prof gc}, {@code -l}, {@code -h}, …); what
 * they leave unset defaults to a short run, over this package's benchmarks: 1 fork, 3 warm-up and 3 measurement iterations of 1 s each.
 *
 * <pre>
 * java -cp … io.tasque.bench.micro.MicroBench                    every benchmark, short defaults
 * java -cp … io.tasque.bench.micro.MicroBench Codec -f 1 -wi 1 -i 1
 * </pre>
 */
public final class MicroBench {

    private MicroBench() {
    }

    public static void main(String[] args) throws RunnerException {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cmd.shouldHelp()) {
            try {
                cmd.showHelp();
            } catch (IOException e) {
                System.err.println("cannot print the help: " + e);
            }
            return;
        }
        if (cmd.shouldList()) {
            new Runner(cmd).list();
            return;
        }
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cmd);
        if (cmd.getIncludes().isEmpty()) {
            options.include(MicroBench.class.getPackageName() + "\\.");
        }
        if (!cmd.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!cmd.getWarmupIterations().hasValue()) {
            options.warmupIterations(3);
        }
        if (!cmd.getWarmupTime().hasValue()) {
            options.warmupTime(TimeValue.seconds(1));
        }
        if (!cmd.getMeasurementIterations().hasValue()) {
            options.measurementIterations(3);
        }
        if (!cmd.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.seconds(1));
        }
        new Runner(options.build()).run();
    }
}
