package io.tasque.samples.downloader;

import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.worker.Worker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One-command demo of the downloader sample, offline: starts an embedded Redis, a local HTTP server with three
 * small files, a worker and a client in this process; submits the three URLs, waits until they were handled (at
 * most 30 s), checks that each file was saved under its MD5 name with the served bytes, prints one line per file
 * and a summary, and exits 0, or 1 on any failure. {@code DownloaderDemo [DIR]}: without a directory it
 * downloads into a temp dir that is deleted at the end.
 */
public final class DownloaderDemo {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    private DownloaderDemo() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length > 1) {
            throw new IllegalArgumentException("DownloaderDemo takes at most one directory, got " + List.of(args));
        }
        Path dir = args.length == 1 ? Path.of(args[0]) : Files.createTempDirectory("tasque-downloads-");
        boolean verified;
        try {
            verified = run(System.out, dir);
        } finally {
            if (args.length == 0) {
                deleteTree(dir);
            }
        }
        System.exit(verified ? 0 : 1);
    }

    /** Runs the demo into {@code dir}, printing one line per file and a summary; true if every file was verified. */
    static boolean run(PrintStream out, Path dir) throws InterruptedException {
        DownloadHandler download = new DownloadHandler(dir);
        List<String> report = new ArrayList<>();
        boolean allVerified;
        try (RedisServer redis = RedisServer.start();
             DemoFileServer files = DemoFileServer.start()) {
            List<String> names = files.names();
            Set<String> handled = ConcurrentHashMap.newKeySet();    // job ids: a job run twice counts once
            CountDownLatch allHandled = new CountDownLatch(names.size());
            try (Worker worker = Worker.builder()
                         .broker(redis.uri())
                         .concurrency(2)
                         .handle("download", task -> {
                             download.handle(task);
                             if (handled.add(task.id())) {
                                 allHandled.countDown();
                             }
                         })
                         .build()
                         .start();
                 TasqueClient client = TasqueClient.connect(redis.uri())) {
                for (String name : names) {
                    client.submit(DownloadTask.of(files.url(name)));
                }
                out.println("downloader demo: submitted " + names.size() + " downloads to " + redis.uri()
                        + "; waiting up to " + DEADLINE.toSeconds() + " s");
                allHandled.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
            report.add("downloaded into " + download.dir());
            int verified = 0;
            for (String name : names) {
                Path file = download.target(files.url(name));
                String problem = problem(file, files.content(name));
                report.add((problem == null ? "ok      " : "FAILED  ") + files.url(name) + " -> " + file.getFileName()
                        + " (" + (problem == null ? files.content(name).length + " bytes, content verified" : problem)
                        + ")");
                verified += problem == null ? 1 : 0;
            }
            report.add("downloader demo: " + verified + " of " + names.size() + " files downloaded and verified via "
                    + redis.uri());
            allVerified = verified == names.size();
        }
        report.forEach(out::println);   // after the worker and Redis logged their stop
        return allVerified;
    }

    /** What is wrong with {@code file}, or null if it holds exactly the {@code expected} bytes. */
    private static String problem(Path file, byte[] expected) {
        try {
            byte[] actual = Files.readAllBytes(file);
            return Arrays.equals(actual, expected) ? null
                    : "has " + actual.length + " bytes that differ from the " + expected.length + " served";
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
