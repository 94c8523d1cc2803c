package io.tasque.samples.foo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.samples.support.BrokerChoice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FooWorkerTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aBadConcurrencyIsAOneLineUsageError() {
        int code = FooWorker.run(new String[] {"--concurrency", "0"}, Map.of(), print(out), print(err));

        assertEquals(2, code);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.startsWith("FooWorker: --concurrency '0' is not a whole number from 1 to 10000"), stderr);
    }

    @Test
    void aMalformedBrokerIsAUsageErrorNamingIt() {
        int code = FooWorker.run(new String[0], Map.of(BrokerChoice.ENV, "localhost:7000"), print(out), print(err));

        assertEquals(2, code);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertTrue(stderr.startsWith("FooWorker: TASQUE_BROKER 'localhost:7000' is not a broker URI"), stderr);
    }

    @Test
    void helpPrintsTheUsage() {
        assertEquals(0, FooWorker.run(new String[] {"--help"}, Map.of(), print(out), print(err)));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: FooWorker [--broker URI]"));
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }
}
