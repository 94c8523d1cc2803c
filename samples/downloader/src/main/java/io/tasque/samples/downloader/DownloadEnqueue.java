package io.tasque.samples.downloader;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Enqueue main of the downloader sample: submits one {@code download} task per URL argument and prints each
 * job id with the file name the worker will save it under.
 *
 * <pre>DownloadEnqueue [--broker URI] [--delay 5s] URL...</pre>
 *
 * Every URL is checked before anything is submitted. The broker is {@code --broker}, else
 * {@code $TASQUE_BROKER}, else an embedded Redis started for this process.
 */
public final class DownloadEnqueue {

    static final String USAGE = "DownloadEnqueue [--broker URI] [--delay 500ms|5s|2m] URL..."
            + " (broker: --broker, else $" + BrokerChoice.ENV + ", else an embedded Redis)";
    private static final List<String> OPTIONS = List.of(SampleArgs.BROKER, SampleArgs.DELAY);
    private static final String ME = "DownloadEnqueue";

    private DownloadEnqueue() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Submits the tasks; returns the exit code (0 when all were stored, 1 on failure, 2 on bad arguments). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            SampleArgs parsed = SampleArgs.parse(args, OPTIONS);
            if (parsed.help()) {
                out.println("usage: " + USAGE);
                return 0;
            }
            List<String> urls = parsed.positional();
            if (urls.isEmpty()) {
                throw new UsageException("no URL given; pass one or more, e.g. https://example.org/a.pdf");
            }
            List<Task> tasks = new ArrayList<>();
            for (String url : urls) {
                try {
                    tasks.add(DownloadTask.of(url));
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            }
            Duration delay = parsed.delay();
            try (BrokerChoice broker = BrokerChoice.choose(parsed.broker(), env)) {
                if (broker.embedded()) {
                    out.println(ME + ": no --broker and no $" + BrokerChoice.ENV + "; started an embedded Redis on "
                            + broker.uri() + ". It is empty and private to this process and stops when it ends, so"
                            + " this is mainly for trying it out; pass --broker to reach your workers");
                }
                try (TasqueClient client = TasqueClient.connect(broker.uri())) {
                    for (int i = 0; i < tasks.size(); i++) {
                        String id = client.submit(tasks.get(i), delay);
                        out.println("submitted " + DownloadTask.NAME + " job " + id + ": " + urls.get(i) + " -> "
                                + FileNames.forUrl(urls.get(i))
                                + (delay.isZero() ? "" : " (due in " + SampleArgs.format(delay) + ")"));
                    }
                }
            }
            return 0;
        } catch (UsageException e) {
            err.println(ME + ": " + e.getMessage() + "; usage: " + USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println(ME + ": " + e.getMessage());
            return 1;
        }
    }
}
