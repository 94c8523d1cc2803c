package io.tasque.samples.downloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.samples.support.SampleArgs;
import io.tasque.samples.support.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DownloadWorkerTest {

    private static final List<SampleArgs.Option<?>> ALL = List.of(SampleArgs.BROKER, SampleArgs.CONCURRENCY,
            SampleArgs.DELAY, DownloadWorker.DIR);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void readsTheDirBesideTheSharedOptions() {
        SampleArgs a = SampleArgs.parse(new String[] {"--broker=redis://h:7000", "--concurrency", "3",
            "--delay", "500ms", "--dir", "out/files", "https://example.org/"}, ALL);

        assertEquals("redis://h:7000", a.broker());
        assertEquals(3, a.concurrency());
        assertEquals(Duration.ofMillis(500), a.delay());
        assertEquals(Path.of("out/files"), a.get(DownloadWorker.DIR));
        assertEquals(List.of("https://example.org/"), a.positional());
    }

    @Test
    void rejectsAnEmptyDirNamingTheFix() {
        UsageException e = assertThrows(UsageException.class,
                () -> SampleArgs.parse(new String[] {"--dir="}, ALL));
        assertEquals("--dir is empty; give a directory such as ./downloads", e.getMessage());
    }

    @Test
    void aUrlIsAUsageErrorPointingToTheEnqueueMain() {
        int code = DownloadWorker.run(new String[] {"https://example.org/"}, Map.of(), print(out), print(err));

        assertEquals(2, code);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.startsWith("DownloadWorker: unexpected argument 'https://example.org/'; DownloadWorker"
                + " takes options only (give URLs to DownloadEnqueue); usage: DownloadWorker [--broker URI]"), stderr);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }
}
