package io.tasque.samples.downloader;

import io.tasque.samples.support.BrokerChoice;
import io.tasque.samples.support.SampleArgs;
import io.tasque.samples.support.UsageException;
import io.tasque.samples.support.WorkerMain;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Worker main of the downloader sample: runs {@code download} tasks from the broker until Ctrl-C or SIGTERM,
 * saving each URL into the download directory.
 *
 * <pre>DownloadWorker [--broker URI] [--concurrency N] [--dir PATH]</pre>
 *
 * The broker is {@code --broker}, else {@code $TASQUE_BROKER}, else an embedded Redis started for this process.
 */
public final class DownloadWorker {

    /** {@code --dir PATH}: the download directory of the worker and the demo; null when not given. */
    static final SampleArgs.Option<Path> DIR = SampleArgs.Option.of("--dir", null, DownloadWorker::parseDir);
    static final Path DEFAULT_DIR = Path.of("downloads");
    static final String USAGE = "DownloadWorker [--broker URI] [--concurrency N] [--dir PATH]"
            + " (broker: --broker, else $" + BrokerChoice.ENV + ", else an embedded Redis; concurrency default "
            + SampleArgs.DEFAULT_CONCURRENCY + "; dir default ./" + DEFAULT_DIR + ")";
    private static final WorkerMain MAIN = WorkerMain.builder("DownloadWorker", USAGE)
            .option(DIR)
            .argumentsHint(" (give URLs to DownloadEnqueue)")
            .handle(DownloadTask.NAME, args -> {
                DownloadHandler handler = new DownloadHandler(args.get(DIR) != null ? args.get(DIR) : DEFAULT_DIR);
                return new WorkerMain.Handling(handler, ", saving into " + handler.dir());
            })
            .submitHint("DownloadEnqueue", "https://example.org/")
            .build();

    private DownloadWorker() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the worker until it is closed; returns the exit code (0 after a clean stop, 1 on failure, 2 on bad arguments). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return MAIN.run(args, env, out, err);
    }

    private static Path parseDir(String option, String value) {
        if (value.isBlank()) {
            throw new UsageException(option + " is empty; give a directory such as ./downloads");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(option + " '" + value + "' is not a valid path (" + e.getReason() + ")");
        }
    }
}
