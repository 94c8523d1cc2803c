package io.tasque.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisBinaryTest {

    @Test
    void aRedisServerOnPathThatIs62OrNewerIsUsed(@TempDir Path dir) throws IOException {
        assumeNoOverride();
        Path fake = fakeRedisServer(dir, "6.2.0");

        assertEquals(fake, RedisBinary.locate(dir.toString()));
    }

    @Test
    void aRedisServerOnPathOlderThan62IsSkippedForTheShippedOne(@TempDir Path tooOld, @TempDir Path empty)
            throws IOException {
        assumeNoOverride();
        fakeRedisServer(tooOld, "6.0.9");

        String path = empty + File.pathSeparator + tooOld;
        assertEquals(RedisBinary.fromJar(), RedisBinary.locate(path));
    }

    @Test
    void theOverridePropertyWinsOverPath(@TempDir Path overrideDir, @TempDir Path pathDir) throws IOException {
        Path override = fakeRedisServer(overrideDir, "7.2.4");
        fakeRedisServer(pathDir, "7.2.4");
        String previous = System.setProperty(RedisBinary.OVERRIDE, override.toString());
        try {
            assertEquals(override, RedisBinary.locate(pathDir.toString()));
        } finally {
            restoreOverride(previous);
        }
    }

    @Test
    void anOverrideThatIsNotExecutableIsRejectedNamingIt(@TempDir Path dir) {
        String missing = dir.resolve("no-such-redis-server").toString();
        String previous = System.setProperty(RedisBinary.OVERRIDE, missing);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RedisBinary.locate(""));
            assertTrue(e.getMessage().contains(missing), e.getMessage());
            assertTrue(e.getMessage().contains(RedisBinary.OVERRIDE), e.getMessage());
        } finally {
            restoreOverride(previous);
        }
    }

    @Test
    void versionIsParsedFromTheVersionOutput(@TempDir Path dir) throws IOException {
        assertEquals("6.2.14", RedisBinary.version(fakeRedisServer(dir, "6.2.14")));
    }

    @Test
    void theShippedBinaryIsExtractedOncePerJvm() {
        Path first = RedisBinary.fromJar();
        assertTrue(Files.isExecutable(first));
        assertEquals(first, RedisBinary.fromJar());
    }

    @Test
    void platformsMapToTheJarsResourceNames() {
        assertEquals(Optional.of("redis-server-7.0.15-linux-amd64"), Platform.resourceFor("Linux", "amd64"));
        assertEquals(Optional.of("redis-server-7.0.15-linux-arm64"), Platform.resourceFor("Linux", "aarch64"));
        assertEquals(Optional.of("redis-server-7.0.15-linux-386"), Platform.resourceFor("Linux", "i386"));
        assertEquals(Optional.of("redis-server-7.0.15-darwin-arm64"), Platform.resourceFor("Mac OS X", "aarch64"));
        assertEquals(Optional.of("redis-server-7.0.15-darwin-amd64"), Platform.resourceFor("Mac OS X", "x86_64"));
        assertEquals(Optional.empty(), Platform.resourceFor("Windows 11", "amd64"));
    }

    private static Path fakeRedisServer(Path dir, String version) throws IOException {
        Path script = dir.resolve("redis-server");
        Files.writeString(script, "#!/bin/sh\necho 'Redis server v=" + version
                + " sha=00000000:0 malloc=libc bits=64 build=0'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script.toAbsolutePath();
    }

    private static void assumeNoOverride() {
        Assumptions.assumeTrue(System.getenv(RedisBinary.OVERRIDE) == null
                && System.getProperty(RedisBinary.OVERRIDE) == null, RedisBinary.OVERRIDE + " is set");
    }

    private static void restoreOverride(String previous) {
        if (previous == null) {
            System.clearProperty(RedisBinary.OVERRIDE);
        } else {
            System.setProperty(RedisBinary.OVERRIDE, previous);
        }
    }
}
