package io.tasque.samples.downloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleArgsTest {

    private static final List<String> ALL = List.of(SampleArgs.BROKER, SampleArgs.CONCURRENCY, SampleArgs.DELAY,
            SampleArgs.DIR);

    @Test
    void readsEveryOption() {
        SampleArgs a = SampleArgs.parse(new String[] {"--broker=redis://h:7000", "--concurrency", "3",
            "--delay", "500ms", "--dir", "out/files", "https://example.org/"}, ALL);

        assertEquals("redis://h:7000", a.broker());
        assertEquals(3, a.concurrency());
        assertEquals(Duration.ofMillis(500), a.delay());
        assertEquals(Path.of("out/files"), a.dir());
        assertEquals(List.of("https://example.org/"), a.positional());
    }

    @Test
    void rejectsAnEmptyDirNamingTheFix() {
        UsageException e = assertThrows(UsageException.class,
                () -> SampleArgs.parse(new String[] {"--dir="}, ALL));
        assertEquals("--dir is empty; give a directory such as ./downloads", e.getMessage());
    }
}
