package io.tasque.samples.downloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderDemoTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void downloadsAndVerifiesEveryServedFile() throws InterruptedException {
        DownloaderDemo.Result result = DownloaderDemo.demo(print(out), dir, Duration.ofSeconds(30));

        assertTrue(result.complete(), result::summary);
        assertEquals(3, result.handled());
        assertEquals(3, result.verified());
        for (DownloaderDemo.FileCheck f : result.files()) {
            assertEquals(dir.toAbsolutePath().resolve(FileNames.forUrl(f.url())), f.file());
        }
    }

    @Test
    void mainExitsZeroAndKeepsTheFilesInTheGivenDir() throws IOException {
        int code = DownloaderDemo.run(new String[] {"--dir", dir.toString()}, print(out), print(err));

        String stdout = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, () -> "stdout:\n" + stdout + "\nstderr:\n" + err.toString(StandardCharsets.UTF_8));
        assertEquals(3, stdout.lines().filter(l -> l.startsWith("ok ")).count(), stdout);
        assertTrue(stdout.matches(
                "(?s).*downloader demo: 3 of 3 files downloaded and verified via redis://127\\.0\\.0\\.1:\\d+\\R$"),
                stdout);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(3, files.count());
        }
    }

    @Test
    void anUnknownOptionIsAOneLineUsageError() {
        int code = DownloaderDemo.run(new String[] {"--broker", "redis://h:7000"}, print(out), print(err));

        assertEquals(2, code);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.startsWith("DownloaderDemo: unknown option '--broker'; accepted: --dir"), stderr);
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }
}
