package io.tasque.samples.downloader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void isTheHexMd5OfTheUrlWithItsShortExtension() {
        assertEquals("d454ecec1847f4cd1c65b694962cb817.pdf", FileNames.forUrl("https://example.org/a.pdf"));
    }

    @Test
    void keepsOnlyShortAlphanumericExtensionsLowercased() {
        assertEquals(".json", FileNames.extension("http://h/files/c.json"));
        assertEquals(".gz", FileNames.extension("http://h/archive.tar.gz"));
        assertEquals(".pdf", FileNames.extension("http://h/A.PDF?download=1#page=2"));
        assertEquals("", FileNames.extension("http://h/page.html5abc"));
        assertEquals("", FileNames.extension("http://h/dir.d/"));
        assertEquals("", FileNames.extension("http://h/.profile"));
        assertEquals("", FileNames.extension("http://h"));
        assertEquals("", FileNames.extension("http://h/a.x-y"));
    }
}
