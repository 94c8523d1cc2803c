package io.tasque.samples.foo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FooDemoTest {

    @Test
    void handlesEverySubmittedTaskAndEndsWithTheSummaryLine() throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        boolean complete = FooDemo.run(new PrintStream(out, true, StandardCharsets.UTF_8));

        String stdout = out.toString(StandardCharsets.UTF_8);
        assertTrue(complete, stdout);
        assertTrue(stdout.matches("(?s)foo demo: submitted 6 tasks to redis://127\\.0\\.0\\.1:\\d+ .*"
                + "\\Rfoo demo: 6 of 6 tasks handled on redis://127\\.0\\.0\\.1:\\d+\\R"), stdout);
    }
}
