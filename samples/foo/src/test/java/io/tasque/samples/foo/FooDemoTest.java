package io.tasque.samples.foo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FooDemoTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void demoHandlesEveryTaskAndExitsZero() {
        int code = FooDemo.run(new String[0], print(out), print(err));

        String stdout = text(out);
        assertEquals(0, code, () -> "stdout:\n" + stdout + "\nstderr:\n" + text(err));
        assertTrue(stdout.matches("(?s).*foo demo: 6 of 6 tasks handled on redis://127\\.0\\.0\\.1:\\d+\\R$"), stdout);
    }

    @Test
    void demoReportsEachHandledTaskOnce() throws InterruptedException {
        FooDemo.Result result = FooDemo.demo(print(out), Duration.ofSeconds(30));

        assertTrue(result.complete(), result::summary);
        assertEquals(6, result.submitted());
        assertEquals(6, result.handled());
    }

    @Test
    void anArgumentIsAUsageError() {
        int code = FooDemo.run(new String[] {"--bogus"}, print(out), print(err));

        assertEquals(2, code);
        String stderr = text(err);
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.contains("'--bogus'"), stderr);
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
