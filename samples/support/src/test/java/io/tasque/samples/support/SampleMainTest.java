package io.tasque.samples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SampleMainTest {

    private static final String USAGE = "Tool [--delay 5s] [X...]";
    private static final SampleMain TOOL = SampleMain.of("Tool", USAGE, List.of(SampleArgs.DELAY));

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void runsTheBodyWithTheParsedArgumentsAndReturnsItsExitCode() {
        AtomicReference<SampleArgs> seen = new AtomicReference<>();
        int code = TOOL.run(new String[] {"--delay=5s", "a", "b"}, print(out), print(err), args -> {
            seen.set(args);
            return 7;
        });

        assertEquals(7, code);
        assertEquals(Duration.ofSeconds(5), seen.get().delay());
        assertEquals(List.of("a", "b"), seen.get().positional());
        assertEquals("", text(out) + text(err));
    }

    @Test
    void helpPrintsTheUsageWithoutRunningTheBody() {
        int code = TOOL.run(new String[] {"x", "-h"}, print(out), print(err), args -> {
            throw new AssertionError("body ran");
        });

        assertEquals(0, code);
        assertEquals("usage: " + USAGE + System.lineSeparator(), text(out));
        assertEquals("", text(err));
    }

    @Test
    void aBadArgumentIsOneLineOnStderrWithTheUsageAndExitCode2() {
        int code = TOOL.run(new String[] {"--bogus"}, print(out), print(err), args -> 0);

        assertEquals(2, code);
        assertEquals("Tool: unknown option '--bogus'; accepted: --delay; usage: " + USAGE + System.lineSeparator(),
                text(err));
        assertEquals("", text(out));
    }

    @Test
    void aUsageErrorFromTheBodyIsExitCode2Too() {
        int code = TOOL.run(new String[0], print(out), print(err), args -> {
            throw new UsageException("no X given");
        });

        assertEquals(2, code);
        assertEquals("Tool: no X given; usage: " + USAGE + System.lineSeparator(), text(err));
    }

    @Test
    void positionalArgumentsCanBeRejectedSayingWhatTheMainTakes() {
        SampleMain strict = TOOL.rejectingArguments("takes options only");

        int code = strict.run(new String[] {"--delay", "1s", "x", "y"}, print(out), print(err), args -> 0);

        assertEquals(2, code);
        assertEquals("Tool: unexpected argument 'x'; Tool takes options only; usage: " + USAGE
                + System.lineSeparator(), text(err));
        assertEquals(0, strict.run(new String[] {"--delay", "1s"}, print(out), print(err), args -> 0));
    }

    @Test
    void aFailureIsOneLineOnStderrAndExitCode1() {
        assertEquals(1, TOOL.run(new String[0], print(out), print(err), args -> {
            throw new IOException("disk full");
        }));
        assertEquals(1, TOOL.run(new String[0], print(out), print(err), args -> {
            throw new IllegalStateException("broker gone");
        }));

        assertEquals(List.of("Tool: disk full", "Tool: broker gone"), text(err).lines().toList());
    }

    @Test
    void anInterruptIsExitCode1AndKeepsTheInterruptFlag() {
        try {
            int code = TOOL.run(new String[0], print(out), print(err), args -> {
                throw new InterruptedException();
            });

            assertEquals(1, code);
            assertEquals("Tool: interrupted" + System.lineSeparator(), text(err));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
