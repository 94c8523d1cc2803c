package io.tasque.samples.downloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderDemoTest {

    @TempDir
    Path dir;

    @Test
    void downloadsAndVerifiesEveryServedFileUnderItsMd5Name() throws IOException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        boolean verified = DownloaderDemo.run(new PrintStream(out, true, StandardCharsets.UTF_8), dir);

        String stdout = out.toString(StandardCharsets.UTF_8);
        assertTrue(verified, stdout);
        List<String> ok = stdout.lines().filter(l -> l.startsWith("ok ")).toList();
        assertEquals(3, ok.size(), stdout);
        assertTrue(stdout.matches(
                "(?s).*downloader demo: 3 of 3 files downloaded and verified via redis://127\\.0\\.0\\.1:\\d+\\R$"),
                stdout);
        List<String> expected = ok.stream().map(DownloaderDemoTest::urlOf).map(FileNames::forUrl).sorted().toList();
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(expected, files.map(p -> p.getFileName().toString()).sorted().toList(), stdout);
        }
    }

    /** The URL of a line like {@code ok      http://127.0.0.1:1234/files/a.txt -> 1f2e….txt (400 bytes, …)}. */
    private static String urlOf(String okLine) {
        return okLine.substring("ok".length()).strip().split(" -> ")[0];
    }
}
