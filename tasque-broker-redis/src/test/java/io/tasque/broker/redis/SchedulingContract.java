package io.tasque.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.broker.BrokerException;
import io.tasque.broker.BrokerOptions;
import io.tasque.broker.Scheduling;
import io.tasque.broker.Scheduling.PutResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What the Redis broker's {@link Scheduling} promises: put / replace / no-op / remove / list, the claim's
 * compare-and-set (refused for a stale next time, a changed definition, or a tick not yet due by the server's
 * clock), overdue claims reported until marked fired, and scripts that change nothing when a key holds the wrong
 * type. Each test works under a key prefix of its own. A subclass says where the server is.
 */
abstract class SchedulingContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final String DEF = "{\"v\":1,\"trigger\":\"every PT1S\"}";
    private static final String OTHER = "{\"v\":1,\"trigger\":\"every PT2S\"}";

    private String prefix;
    private RedisBroker broker;
    private Scheduling schedules;

    /** A broker on the server under test. */
    protected abstract RedisBroker open(BrokerOptions options);

    /** Runs a command on the server (on a cluster: the master) holding the {@code {schedules}} slot. */
    protected abstract String command(String... args);

    @BeforeEach
    void openBroker() {
        prefix = "sched" + PREFIXES.incrementAndGet() + "-" + getClass().getSimpleName();
        broker = open(BrokerOptions.builder().keyPrefix(prefix).commandTimeout(Duration.ofSeconds(5)).build());
        schedules = broker.capability(Scheduling.class).orElseThrow();
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    private String key(String name) {
        return prefix + ":{schedules}:" + name;
    }

    @Test
    void aNewScheduleIsCreatedAndListedWithItsNextTimeAndNoLastTime() {
        assertEquals(PutResult.CREATED, schedules.put("nightly", DEF, 1_000));
        assertEquals(List.of(new Scheduling.Stored("nightly", DEF, 1_000, -1)), schedules.schedules());
    }

    @Test
    void theSameDefinitionAgainChangesNothingAndKeepsTheNextTime() {
        schedules.put("nightly", DEF, 1_000);
        assertEquals(PutResult.UNCHANGED, schedules.put("nightly", DEF, 9_000));
        assertEquals(1_000, schedules.schedules().get(0).nextFireMillis());
    }

    @Test
    void anotherDefinitionReplacesTheStoredOneAndItsNextTime() {
        schedules.put("nightly", DEF, 1_000);
        assertEquals(PutResult.REPLACED, schedules.put("nightly", OTHER, 9_000));
        assertEquals(List.of(new Scheduling.Stored("nightly", OTHER, 9_000, -1)), schedules.schedules());
    }

    @Test
    void removeDeletesTheScheduleAndSaysWhetherThereWasOne() {
        schedules.put("nightly", DEF, 1_000);
        schedules.put("hourly", DEF, 1_000);
        assertTrue(schedules.remove("nightly"));
        assertFalse(schedules.remove("nightly"));
        assertEquals(List.of("hourly"), schedules.schedules().stream().map(Scheduling.Stored::id).toList());
    }

    @Test
    void dueReportsTheServerTimeTheDueSchedulesAndTheEarliestNextTime() {
        long now = schedules.serverTimeMillis();
        schedules.put("due", DEF, now - 5_000);
        schedules.put("later", DEF, now + 60_000);
        Scheduling.Due d = schedules.due(10);
        assertTrue(Math.abs(d.serverMillis() - now) < 5_000, "server time " + d.serverMillis() + " vs " + now);
        assertEquals(List.of(new Scheduling.Stored("due", DEF, now - 5_000, -1)), d.due());
        assertEquals(now - 5_000, d.earliestNextMillis());
        assertEquals(List.of(), d.overdue());
        assertEquals(-1, d.earliestClaimDeadlineMillis());
    }

    @Test
    void aClaimMovesTheNextTimeOnceAndARepeatWithTheStaleNextTimeIsRefused() {
        long now = schedules.serverTimeMillis();
        schedules.put("s", DEF, now - 1_000);
        assertTrue(schedules.claim("s", DEF, now - 1_000, now - 1_000, now + 60_000, 15_000));
        assertFalse(schedules.claim("s", DEF, now - 1_000, now - 1_000, now + 60_000, 15_000), "the second firer loses");
        assertEquals(now + 60_000, schedules.schedules().get(0).nextFireMillis());
        Scheduling.Due d = schedules.due(10);
        assertEquals(List.of(), d.due());
        assertEquals(List.of(), d.overdue(), "a claim within its deadline is not overdue");
        assertTrue(d.earliestClaimDeadlineMillis() >= now + 15_000 - 5_000, "claim deadline " + d.earliestClaimDeadlineMillis());
    }

    @Test
    void aClaimWithAnotherNextTimeThanTheStoredOneIsRefused() {
        long now = schedules.serverTimeMillis();
        schedules.put("s", DEF, now - 1_000);
        assertFalse(schedules.claim("s", DEF, now - 2_000, now - 2_000, now + 60_000, 15_000));
        assertEquals(now - 1_000, schedules.schedules().get(0).nextFireMillis());
    }

    @Test
    void aClaimIsRefusedWhenTheDefinitionChangedSinceItWasRead() {
        long now = schedules.serverTimeMillis();
        schedules.put("s", OTHER, now - 1_000);
        assertFalse(schedules.claim("s", DEF, now - 1_000, now - 1_000, now + 60_000, 15_000));
        assertEquals(now - 1_000, schedules.schedules().get(0).nextFireMillis());
    }

    @Test
    void aClaimOfATickNotYetDueByTheServerClockIsRefused() {
        long serverNow = schedules.serverTimeMillis();
        long next = serverNow + 30_000; // due by a worker clock 30 s fast, not by the server's
        schedules.put("s", DEF, next);
        assertFalse(schedules.claim("s", DEF, next, next, next + 60_000, 15_000));
        assertEquals(next, schedules.schedules().get(0).nextFireMillis());
        assertEquals(List.of(), schedules.due(10).due());
        assertEquals("0", command("ZCARD", key("firing")));
    }

    @Test
    void aClaimThatRanOutIsReportedOverdueUntilMarkedFired() {
        long now = schedules.serverTimeMillis();
        long tick = now - 1_000;
        schedules.put("s", DEF, tick);
        assertTrue(schedules.claim("s", DEF, tick, tick, now + 60_000, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> !schedules.due(10).overdue().isEmpty());
        assertEquals(List.of(new Scheduling.Overdue("s", tick, DEF)), schedules.due(10).overdue());
        assertTrue(schedules.fired("s", tick));
        assertEquals(List.of(), schedules.due(10).overdue());
        assertEquals(tick, schedules.schedules().get(0).lastFireMillis());
        assertFalse(schedules.fired("s", tick), "a second firer finds it finished");
    }

    @Test
    void anOverdueClaimIsTakenOverByExactlyOneFirerAndNotWhileItIsHeld() {
        long now = schedules.serverTimeMillis();
        long tick = now - 1_000;
        schedules.put("s", DEF, tick);
        assertTrue(schedules.claim("s", DEF, tick, tick, now + 60_000, 15_000));
        assertFalse(schedules.reclaim("s", tick, 15_000), "the claim still holds");
        assertTrue(schedules.fired("s", tick));
        assertFalse(schedules.reclaim("s", tick, 15_000), "a finished claim is not taken over");

        schedules.put("t", DEF, tick);
        assertTrue(schedules.claim("t", DEF, tick, tick, now + 60_000, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> !schedules.due(10).overdue().isEmpty());
        assertTrue(schedules.reclaim("t", tick, 15_000), "the first firer to find it overdue takes it over");
        assertFalse(schedules.reclaim("t", tick, 15_000), "the second does not");
        assertEquals(List.of(), schedules.due(10).overdue(), "held again, so no longer overdue");
        assertTrue(schedules.fired("t", tick));
    }

    @Test
    void anOverdueClaimOfARemovedScheduleComesWithoutADefinitionAndFiredSetsNoLastTime() {
        long now = schedules.serverTimeMillis();
        schedules.put("gone", DEF, now - 1_000);
        assertTrue(schedules.claim("gone", DEF, now - 1_000, now - 1_000, now + 60_000, 1));
        schedules.remove("gone");
        await().atMost(Duration.ofSeconds(5)).until(() -> !schedules.due(10).overdue().isEmpty());
        assertEquals(List.of(new Scheduling.Overdue("gone", now - 1_000, null)), schedules.due(10).overdue());
        assertTrue(schedules.fired("gone", now - 1_000));
        assertEquals("0", command("EXISTS", key("last")));
    }

    @Test
    void aDroppedTickMovesTheNextTimeWithoutAClaim() {
        long now = schedules.serverTimeMillis();
        schedules.put("s", DEF, now - 90_000);
        assertTrue(schedules.claim("s", DEF, now - 90_000, -1, now + 60_000, 15_000));
        assertEquals(now + 60_000, schedules.schedules().get(0).nextFireMillis());
        assertEquals("0", command("ZCARD", key("firing")));
    }

    @Test
    void wrongTypedKeysFailEveryWriteWithNothingChanged() {
        long now = schedules.serverTimeMillis();
        schedules.put("s", DEF, now - 1_000);
        schedules.put("t", DEF, now - 1_000);
        assertTrue(schedules.claim("t", DEF, now - 1_000, now - 1_000, now + 60_000, 15_000));
        for (String name : List.of("defs", "next", "firing", "last")) {
            // the scripts that touch this key: remove (defs, next, last), put (defs, next), claim (defs, next, firing),
            // fired (firing, last, defs), reclaim (firing)
            String k = key(name);
            boolean had = !"none".equals(command("TYPE", k));
            if (had) {
                command("RENAME", k, k + ".saved");
            }
            command("SET", k, "x");
            if (!name.equals("firing")) {
                assertUnchangedBy(() -> schedules.remove("s"), name + " / remove");
            }
            if (!name.equals("last") && !name.equals("firing")) {
                assertUnchangedBy(() -> schedules.put("s", OTHER, now + 5_000), name + " / put");
                assertUnchangedBy(() -> schedules.put("new", DEF, now + 5_000), name + " / put new");
            }
            if (!name.equals("last")) {
                assertUnchangedBy(() -> schedules.claim("s", DEF, now - 1_000, now - 1_000, now + 60_000, 15_000), name + " / claim");
            }
            if (!name.equals("next")) {
                assertUnchangedBy(() -> schedules.fired("t", now - 1_000), name + " / fired");
            }
            if (name.equals("firing")) {
                assertUnchangedBy(() -> schedules.reclaim("t", now - 1_000, 15_000), name + " / reclaim");
            }
            command("DEL", k);
            if (had) {
                command("RENAME", k + ".saved", k);
            }
        }
    }

    /** The call, which touches the wrong-typed key, fails with a data error and no key of the schedules changed. */
    private void assertUnchangedBy(Executable call, String what) {
        Map<String, String> before = snapshot();
        BrokerException e = assertThrows(BrokerException.class, call, what);
        assertTrue(e.getMessage().contains("WRONGTYPE"), what + ": " + e.getMessage());
        assertEquals(BrokerException.Kind.DATA, e.kind(), what + ": " + e.getMessage());
        assertEquals(before, snapshot(), what + ": the call changed nothing");
    }

    /** Every key of the schedules with its type and contents. */
    private Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        for (String name : List.of("defs", "next", "firing", "last")) {
            String k = key(name);
            String type = command("TYPE", k);
            String value = switch (type) {
                case "zset" -> command("ZRANGE", k, "0", "-1", "WITHSCORES");
                case "hash" -> pairs(command("HGETALL", k)).toString();
                case "string" -> command("GET", k);
                default -> "";
            };
            out.put(k, type + " " + value);
        }
        return out;
    }

    private static Map<String, String> pairs(String reply) {
        Map<String, String> m = new TreeMap<>();
        String[] parts = reply.split("\n");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            m.put(parts[i], parts[i + 1]);
        }
        return m;
    }
}
