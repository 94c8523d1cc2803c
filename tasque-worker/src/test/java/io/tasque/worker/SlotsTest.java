package io.tasque.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SlotsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void takesEveryFreeSlotUpToTheMaximum() throws InterruptedException {
        Slots slots = new Slots(5, 1);
        assertEquals(3, slots.take(0, 3, 1, 0, () -> false));
        assertEquals(2, slots.take(0, 5, 1, 0, () -> false));
        assertEquals(0, slots.free());
    }

    @Test
    void aTakerBlocksUntilASlotIsGivenBack() throws Exception {
        Slots slots = new Slots(1, 1);
        slots.take(0, 1, 1, 0, () -> false);
        AtomicReference<Thread> taker = new AtomicReference<>();
        CompletableFuture<Integer> took = CompletableFuture.supplyAsync(() -> {
            taker.set(Thread.currentThread());
            return takeQuietly(slots, 1, 1, 0);
        });
        await().atMost(WAIT).until(() -> taker.get() != null && taker.get().getState() == Thread.State.WAITING);
        assertFalse(took.isDone());
        slots.release(1);
        assertEquals(1, took.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void twoLanesWaitingAtOnceAreBothServedOneSlotAtATime() throws Exception {
        Slots slots = new Slots(2, 2);
        slots.take(0, 2, 1, 0, () -> false);
        AtomicReference<Thread> first = new AtomicReference<>();
        AtomicReference<Thread> second = new AtomicReference<>();
        CompletableFuture<Integer> lane0 = CompletableFuture.supplyAsync(() -> {
            first.set(Thread.currentThread());
            return takeQuietly(slots, 0, 2);
        });
        CompletableFuture<Integer> lane1 = CompletableFuture.supplyAsync(() -> {
            second.set(Thread.currentThread());
            return takeQuietly(slots, 1, 2);
        });
        await().atMost(WAIT).until(() -> waiting(first) && waiting(second));
        slots.release(1);
        // one lane gets the slot; the other keeps waiting until the next one
        await().atMost(WAIT).until(() -> lane0.isDone() || lane1.isDone());
        CompletableFuture<Integer> winner = lane0.isDone() ? lane0 : lane1;
        CompletableFuture<Integer> loser = winner == lane0 ? lane1 : lane0;
        assertEquals(1, winner.get());
        await().atMost(WAIT).until(() -> waiting(winner == lane0 ? second : first));
        assertFalse(loser.isDone());
        slots.release(1);
        assertEquals(1, loser.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    private static boolean waiting(AtomicReference<Thread> t) {
        return t.get() != null && t.get().getState() == Thread.State.WAITING;
    }

    private static int takeQuietly(Slots slots, int lane, int max) {
        try {
            return slots.take(lane, max, 1, 0, () -> false);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withALingerItWaitsForEnoughSlotsBeforeTaking() throws Exception {
        Slots slots = new Slots(4, 1);
        slots.take(0, 4, 1, 0, () -> false);
        AtomicReference<Thread> taker = new AtomicReference<>();
        CompletableFuture<Integer> took = CompletableFuture.supplyAsync(() -> {
            taker.set(Thread.currentThread());
            return takeQuietly(slots, 4, 2, TimeUnit.SECONDS.toNanos(30));
        });
        await().atMost(WAIT).until(() -> taker.get() != null && taker.get().getState() == Thread.State.WAITING);
        slots.release(1);
        // one slot is free: it now lingers (a timed wait) for a second one
        await().atMost(WAIT).until(() -> taker.get().getState() == Thread.State.TIMED_WAITING);
        assertFalse(took.isDone());
        slots.release(1);
        assertEquals(2, took.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void theLingerEndsAtItsDeadlineWithTheSlotsThatAreFree() throws InterruptedException {
        Slots slots = new Slots(4, 1);
        slots.take(0, 3, 1, 0, () -> false);
        assertEquals(1, slots.take(0, 4, 4, TimeUnit.MILLISECONDS.toNanos(20), () -> false));
    }

    @Test
    void whileWaitingRunsEveryTickForAsLongAsItAsks() throws Exception {
        Slots slots = new Slots(1, 1);
        slots.take(0, 1, 1, 0, () -> false);
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Integer> took = CompletableFuture.supplyAsync(() -> takeQuietly(slots, 1, 1, 0, () -> calls.incrementAndGet() < 3));
        await().atMost(WAIT).until(() -> calls.get() >= 3);
        slots.release(1);
        assertEquals(1, took.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(3, calls.get(), "no call after it returned false");
    }

    @Test
    void aSlotCountBelowOneIsRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Slots(0, 1));
        assertTrue(e.getMessage().contains("was 0"), e.getMessage());
    }

    private static int takeQuietly(Slots slots, int max, int enough, long lingerNanos) {
        return takeQuietly(slots, max, enough, lingerNanos, () -> false);
    }

    private static int takeQuietly(Slots slots, int max, int enough, long lingerNanos, java.util.function.BooleanSupplier tick) {
        try {
            return slots.take(0, max, enough, lingerNanos, tick);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
