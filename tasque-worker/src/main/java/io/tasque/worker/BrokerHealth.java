package io.tasque.worker;

import io.tasque.broker.BrokenQueue;
import io.tasque.broker.BrokerException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one view of its broker, shared by every component: whether it answers, refuses us, or holds a
 * queue it cannot serve. Each state change is logged once, in words that say what kind of problem it is, not
 * once per failed call; {@link #snapshot} is what {@link Worker#health()} reports.
 */
final class BrokerHealth {

    private static final Logger log = LoggerFactory.getLogger(BrokerHealth.class);
    /** Distinct data errors remembered so each is logged once; past this many the oldest are forgotten. */
    private static final int MAX_DATA_ERRORS = 100;

    private final String broker;
    private final Clock clock;
    /** Null while the broker answers and accepts us; else UNREACHABLE or REFUSED. */
    private BrokerException.Kind down;
    private String downError;
    private final Map<String, BrokenQueue> brokenQueues = new LinkedHashMap<>();
    private final Set<String> dataErrors = new LinkedHashSet<>();
    private String stopped;
    private Instant since;
    private Runnable stopWorker = () -> { };
    private Runnable reconnected = () -> { };

    BrokerHealth(String broker, Clock clock) {
        this.broker = broker;
        this.clock = clock;
        this.since = clock.instant();
    }

    /** A call failed: an outage or a refusal changes the state (logged once); bad data is logged once per error. */
    void failed(String during, RuntimeException e) {
        BrokerException.Kind kind = e instanceof BrokerException b ? b.kind() : BrokerException.Kind.UNREACHABLE;
        if (kind == BrokerException.Kind.DATA) {
            dataError(during, e);
            return;
        }
        synchronized (this) {
            if (down == kind) {
                return;
            }
            down = kind;
            downError = (kind == BrokerException.Kind.REFUSED ? "refused: " : "unreachable: ") + e.getMessage();
            since = clock.instant();
        }
        if (kind == BrokerException.Kind.REFUSED) {
            log.error("broker {} refused {}: {}; check the user's ACL/password (retrying every 1 s, backing off to 10 s)",
                    broker, during, e.getMessage());
        } else {
            log.warn("broker {} is unreachable ({} failed: {}); retrying every 1 s, backing off to 10 s",
                    broker, during, e.getMessage());
        }
    }

    /** A call succeeded: ends an outage or a refusal (logged once). */
    void ok() {
        BrokerException.Kind was;
        synchronized (this) {
            was = down;
            if (was == null) {
                return;
            }
            down = null;
            downError = null;
            since = clock.instant();
        }
        log.info("broker {} is reachable again{}; resuming", broker, was == BrokerException.Kind.REFUSED ? " and accepts this worker" : "");
        reconnected.run();
    }

    /** What runs each time the broker is back after an outage or a refusal (the reconnect counter); set once. */
    synchronized void onReconnect(Runnable r) {
        this.reconnected = r;
    }

    private void dataError(String during, RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        synchronized (this) {
            if (!dataErrors.add(message)) {
                return;
            }
            if (dataErrors.size() > MAX_DATA_ERRORS) {
                dataErrors.remove(dataErrors.iterator().next());
            }
        }
        log.warn("broker {} holds data tasque cannot use ({} failed: {}); the jobs involved stay where they are until the key is repaired",
                broker, during, message);
    }

    /** A queue can no longer be served (its logging is the caller's, once per queue). */
    synchronized void queueBroken(BrokenQueue q) {
        if (brokenQueues.put(q.queue(), q) == null) {
            since = clock.instant();
        }
    }

    /** A queue broken before can be served again. */
    synchronized void queueRepaired(String queue) {
        if (brokenQueues.remove(queue) != null) {
            since = clock.instant();
            dataErrors.clear();
        }
    }

    /** What stops the worker when one of its loops cannot go on; set once by the worker. */
    synchronized void onStop(Runnable stopWorker) {
        this.stopWorker = stopWorker;
    }

    /** Stops the worker because a loop cannot go on; health reports {@code why} from now on. Only the first call acts. */
    void stopWorker(String why) {
        Runnable stop;
        synchronized (this) {
            if (stopped != null) {
                return;
            }
            stopped = why;
            since = clock.instant();
            stop = stopWorker;
        }
        stop.run();
    }

    /** Whether the broker answers and accepts this worker, as far as the last calls tell. */
    synchronized boolean reachable() {
        return down == null;
    }

    synchronized WorkerHealth snapshot(boolean running) {
        String error = null;
        if (stopped != null) {
            error = "stopped: " + stopped;
        } else if (down != null) {
            error = downError;
        } else if (!brokenQueues.isEmpty()) {
            BrokenQueue q = brokenQueues.values().iterator().next();
            error = "queue '" + q.queue() + "' broken: " + q.error()
                    + (brokenQueues.size() > 1 ? " (and " + (brokenQueues.size() - 1) + " more queue(s))" : "");
        }
        return new WorkerHealth(running, down == null, error, since);
    }
}
