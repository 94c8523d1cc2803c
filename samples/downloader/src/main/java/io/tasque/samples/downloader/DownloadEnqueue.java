package io.tasque.samples.downloader;

import io.tasque.samples.support.BrokerChoice;
import io.tasque.samples.support.EnqueueMain;
import io.tasque.samples.support.UsageException;
import java.io.PrintStream;
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
    private static final EnqueueMain MAIN = new EnqueueMain("DownloadEnqueue", USAGE, DownloadTask.NAME,
            DownloadEnqueue::tasks);

    private DownloadEnqueue() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Submits the tasks; returns the exit code (0 when all were stored, 1 on failure, 2 on bad arguments). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return MAIN.run(args, env, out, err);
    }

    /** One task per URL, shown with the file name it will get; a missing or bad URL is a usage error. */
    private static List<EnqueueMain.Submission> tasks(List<String> urls) {
        if (urls.isEmpty()) {
            throw new UsageException("no URL given; pass one or more, e.g. https://example.org/a.pdf");
        }
        List<EnqueueMain.Submission> tasks = new ArrayList<>();
        for (String url : urls) {
            try {
                tasks.add(new EnqueueMain.Submission(DownloadTask.of(url), url + " -> " + FileNames.forUrl(url)));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return tasks;
    }
}
