package io.tasque.samples.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleBrokerTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void theOptionWinsOverTheEnvironmentAndTheOtherArgumentsAreLeftInOrder() {
        try (SampleBroker b = choose(new String[] {"a", "--broker", "redis://option:7001", "b"},
                Map.of(SampleBroker.ENV, "redis://env:7002"))) {
            assertEquals("redis://option:7001", b.uri());
            assertEquals(List.of("a", "b"), b.arguments());
            assertFalse(b.embedded());
        }
        assertEquals("", text());
    }

    @Test
    void theEnvironmentIsUsedWithoutTheOption() {
        try (SampleBroker b = choose(new String[0], Map.of(SampleBroker.ENV, " redis://env:7002 "))) {
            assertEquals("redis://env:7002", b.uri());
            assertEquals(List.of(), b.arguments());
        }
    }

    @Test
    void withNeitherAnEmbeddedRedisIsStartedSaidAndStoppedOnClose() {
        SampleBroker b = choose(new String[] {"x"}, Map.of(SampleBroker.ENV, " "));
        try (b) {
            assertTrue(b.embedded());
            assertTrue(b.uri().matches("redis://127\\.0\\.0\\.1:\\d+"), b.uri());
            assertFalse(b.uri().endsWith(":6379"), b.uri());
            assertEquals("no --broker and no $TASQUE_BROKER: started an embedded Redis on " + b.uri()
                    + "; it stops with this process", text().strip());
        }
        assertFalse(portAnswers(b.uri()), "the embedded Redis still answers after close()");
    }

    @Test
    void aTrailingBrokerOptionWithoutAUriIsRefusedNamingTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> choose(new String[] {"--broker"}, Map.of()));
        assertEquals("--broker needs a URI after it, e.g. --broker redis://localhost:6379", e.getMessage());
    }

    private SampleBroker choose(String[] args, Map<String, String> env) {
        return SampleBroker.choose(args, env, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean portAnswers(String uri) {
        int port = Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1));
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
