package io.tasque.samples.downloader;

import io.tasque.client.TasqueClient;
import io.tasque.samples.support.CountingHandler;
import io.tasque.samples.support.SampleMain;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.Worker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * One-command demo of the downloader sample, offline: starts an embedded Redis, a local HTTP server with three
 * small files, a worker and a client in this process; submits the three URLs, waits until they were handled (at
 * most 30 s), checks that each file was saved under its MD5 name with the served bytes, prints one line per file
 * and a summary, and exits 0, or 1 on any failure. It downloads into a fresh temp dir, deleted at the end,
 * unless {@code --dir} is given.
 */
public final class DownloaderDemo {

    static final int CONCURRENCY = 2;
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final String USAGE = "DownloaderDemo [--dir PATH] (default: a temp dir deleted at the end)";
    private static final String ME = "DownloaderDemo";
    private static final SampleMain MAIN = SampleMain.of(ME, USAGE, List.of(DownloadWorker.DIR))
            .rejectingArguments("takes only --dir");

    private DownloaderDemo() {
    }

    /** How one served file came out: where it should be and whether it is there with the right bytes. */
    record FileCheck(String url, Path file, int expectedBytes, boolean ok, String problem) {

        /** One line for the demo output. */
        String line() {
            return (ok ? "ok      " : "FAILED  ") + url + " -> " + file.getFileName()
                    + (ok ? " (" + expectedBytes + " bytes, content verified)" : " (" + problem + ")");
        }
    }

    /** What one demo run achieved. */
    record Result(List<FileCheck> files, int handled, String broker) {

        /** True if every file was handled and verified. */
        boolean complete() {
            return handled == files.size() && files.stream().allMatch(FileCheck::ok);
        }

        long verified() {
            return files.stream().filter(FileCheck::ok).count();
        }

        /** The summary line. */
        String summary() {
            return "downloader demo: " + verified() + " of " + files.size() + " files downloaded and verified via "
                    + broker + (handled == files.size() ? ""
                    : " (" + handled + " handled before the deadline of " + DEADLINE.toSeconds() + " s)");
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the demo and prints its report; returns the exit code (0 all verified, 1 otherwise, 2 bad arguments). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        AtomicReference<Path> tempDir = new AtomicReference<>();
        try {
            return MAIN.run(args, out, err, parsed -> {
                Path dir = parsed.get(DownloadWorker.DIR);
                if (dir == null) {
                    dir = Files.createTempDirectory("tasque-downloads-");
                    tempDir.set(dir);
                }
                Result result = demo(out, dir, DEADLINE);
                out.println("downloaded into " + dir.toAbsolutePath()
                        + (tempDir.get() != null ? " (a temp dir, deleted when the demo ends)" : ""));
                result.files().forEach(f -> out.println(f.line()));
                out.println(result.summary());
                return result.complete() ? 0 : 1;
            });
        } finally {
            if (tempDir.get() != null) {
                deleteQuietly(tempDir.get(), err);
            }
        }
    }

    /**
     * Starts Redis, the file server, a worker and a client; submits one download per served file, waits up to
     * {@code deadline} until each was handled once, closes everything and checks the files in {@code dir}.
     */
    static Result demo(PrintStream out, Path dir, Duration deadline) throws InterruptedException {
        DownloadHandler download = new DownloadHandler(dir);
        try (RedisServer redis = RedisServer.start();
             DemoFileServer files = DemoFileServer.start()) {
            List<String> names = files.names();
            CountingHandler counting = new CountingHandler(download, names.size());
            try (Worker worker = Worker.builder()
                         .broker(redis.uri())
                         .concurrency(CONCURRENCY)
                         .handle(DownloadTask.NAME, counting)
                         .build();
                 TasqueClient client = TasqueClient.connect(redis.uri())) {
                worker.start();
                for (String name : names) {
                    client.submit(DownloadTask.of(files.url(name)));
                }
                out.println("downloader demo: submitted " + names.size() + " downloads to " + redis.uri()
                        + "; waiting up to " + deadline.toSeconds() + " s");
                counting.await(deadline);
            }
            List<FileCheck> checks = new ArrayList<>();
            for (String name : names) {
                checks.add(check(files.url(name), download.target(files.url(name)), files.content(name)));
            }
            return new Result(checks, counting.handled(), redis.uri());
        }
    }

    private static FileCheck check(String url, Path file, byte[] expected) {
        if (!Files.isRegularFile(file)) {
            return new FileCheck(url, file, expected.length, false, "missing");
        }
        try {
            byte[] actual = Files.readAllBytes(file);
            return Arrays.equals(actual, expected)
                    ? new FileCheck(url, file, expected.length, true, null)
                    : new FileCheck(url, file, expected.length, false, "has " + actual.length
                            + " bytes that differ from the " + expected.length + " served");
        } catch (IOException e) {
            return new FileCheck(url, file, expected.length, false, "unreadable: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path dir, PrintStream err) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            err.println(ME + ": could not delete the temp dir " + dir + ": " + e.getMessage());
        }
    }
}
