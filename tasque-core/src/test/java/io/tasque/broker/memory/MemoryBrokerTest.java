package io.tasque.broker.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerContract;
import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.BrokerUri;
import io.tasque.broker.Brokers;
import io.tasque.broker.Delivery;
import io.tasque.broker.QueueStats;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The broker contract on the in-memory broker, plus what is specific to it: named shared stores, the URI. */
class MemoryBrokerTest extends BrokerContract {

    /** A fresh store per test: the contract opens its broker on an empty server. */
    private final String uri = "memory://contract-" + UUID.randomUUID();

    @Override
    protected Broker open(BrokerOptions options) {
        return Brokers.open(uri, options);
    }

    @Test
    void brokersOpenedOnOneNameShareTheirQueues() throws Exception {
        try (Broker other = Brokers.open(uri, BrokerOptions.builder().clock(clock).build())) {
            CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> other.awaitWork(List.of("q"), Duration.ofSeconds(5)));
            broker.enqueue(List.of(job("q", "a")));
            assertTrue(woke.get(4, TimeUnit.SECONDS), "a job enqueued through one broker wakes a waiter on the other");
            Delivery d = other.reserve(List.of("q"), 1, LEASE).deliveries().get(0);
            assertEquals("a", d.id());
            assertEquals(new QueueStats("q", 0, 0, 1, 0), broker.stats("q"));
        }
    }

    @Test
    void storesOfOtherNamesOrKeyPrefixesAreSeparate() {
        broker.enqueue(List.of(job("q", "a")));
        try (Broker otherName = Brokers.open(uri + "-other", BrokerOptions.defaults());
             Broker otherPrefix = Brokers.open(uri, BrokerOptions.builder().keyPrefix("elsewhere").build())) {
            assertEquals(0, otherName.stats("q").ready());
            assertEquals(0, otherPrefix.stats("q").ready());
        }
        assertEquals(1, broker.stats("q").ready());
    }

    @Test
    void closingABrokerKeepsTheStoreForTheOthersButRefusesItsOwnCalls() {
        Broker first = Brokers.open(uri, BrokerOptions.defaults());
        first.enqueue(List.of(job("q", "a")));
        first.close();
        BrokerException e = assertThrows(BrokerException.class, first::ping);
        assertTrue(e.getMessage().contains(uri) && e.getMessage().contains("closed"), e.getMessage());
        assertFalse(first.awaitWork(List.of("q"), Duration.ofSeconds(5)), "a closed broker does not wait");
        assertEquals(1, broker.stats("q").ready());
    }

    @Test
    void aDiscardedStoreStartsEmptyForTheNextBroker() {
        broker.enqueue(List.of(job("q", "a")));
        assertTrue(MemoryBroker.discard(uri.substring("memory://".length())));
        try (Broker fresh = Brokers.open(uri, BrokerOptions.defaults())) {
            assertEquals(0, fresh.stats("q").ready());
        }
    }

    @Test
    void anInterruptBeforeTheWaitEndsTheNextWaitAtOnce() {
        broker.interruptWait();
        long start = System.nanoTime();
        assertFalse(broker.awaitWork(List.of("q"), Duration.ofSeconds(5)));
        assertTrue(System.nanoTime() - start < 2_000_000_000L);
    }

    @Test
    void aMemoryUriNamesItsStoreAndRefusesBadNames() {
        BrokerUri u = BrokerUri.parse("memory://unit-tests.1");
        assertEquals("memory", u.scheme());
        assertEquals("unit-tests.1", u.name());
        assertEquals("memory://unit-tests.1", u.toString());
        assertInstanceOf(MemoryBroker.class, Brokers.open("memory://x", BrokerOptions.defaults()));
        assertMessage("memory://", "has no store name; use memory://<name>");
        assertMessage("memory://a b", "store name 'a b'");
        assertMessage("memory://h:1/0", "store name 'h:1/0'");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse("memory://u:hunter2@x"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    private static void assertMessage(String uri, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse(uri));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
