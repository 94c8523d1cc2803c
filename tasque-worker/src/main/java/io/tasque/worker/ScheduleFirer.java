package io.tasque.worker;

import io.tasque.broker.Broker;
import io.tasque.broker.BrokerException;
import io.tasque.broker.OutgoingJob;
import io.tasque.broker.Scheduling;
import io.tasque.codec.Envelope;
import io.tasque.codec.TaskCodec;
import io.tasque.codec.UndecodablePayloadException;
import io.tasque.schedule.ScheduleDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the ticks of the schedules stored in the broker, on one timer thread, with any number of workers doing
 * the same and no leader. Each turn asks the broker once for its time, the due schedules and the overdue claims;
 * claims each due tick with a compare-and-set ({@link Scheduling#claim}: of racing firers exactly one wins), stores
 * the tick's job under the id {@code <schedule id>@<tick>} with a 24 h uniqueness window (so a tick stored twice
 * is stored once) and marks it fired. A claim not marked fired within {@link #CLAIM} (its firer died between claim
 * and store, or after the store) is taken over by one firer ({@link Scheduling#reclaim}), which stores again (a no-op
 * if it was stored) and marks it fired.
 * Between turns it sleeps until the earliest next fire time or claim deadline, at most {@code janitorInterval}, so
 * a new schedule is seen within that; an idle worker costs one call per interval. Only for a broker with the
 * {@link Scheduling} capability.
 */
final class ScheduleFirer implements Component {

    private static final Logger log = LoggerFactory.getLogger(ScheduleFirer.class);

    /** How long a claimed tick is left to its firer before another finishes it: 15 s. */
    static final Duration CLAIM = Duration.ofSeconds(15);
    /** How long a tick's job id stays taken after its job succeeded, so a late repeat stores nothing: 24 h. */
    static final Duration UNIQUE_FOR = Duration.ofHours(24);
    /** Most due schedules (and overdue claims) handled per turn; more are left to the next turn, which comes at once. */
    static final int PER_TURN = 100;

    private final WorkerConfig config;
    private final Broker broker;
    private final Scheduling schedules;
    private final TaskCodec codec;
    private final BrokerHealth health;
    private final TimerLoop timer;
    private final Set<String> undecodable = new HashSet<>();

    ScheduleFirer(WorkerConfig config, Broker broker, Scheduling schedules, BrokerHealth health) {
        this.config = config;
        this.broker = broker;
        this.schedules = schedules;
        this.codec = broker.codec(Integer.MAX_VALUE); // the client checked the template against its own limit
        this.health = health;
        this.timer = new TimerLoop("tasque-schedules-", "schedule firing", health);
    }

    @Override
    public void start() {
        timer.paced(this::turn);
    }

    /** One turn: fires what is due; an outage is reported and waited out for one janitor interval. */
    private long turn() {
        try {
            return fireDue();
        } catch (BrokerException e) {
            health.failed("schedule firing", e);
            return config.janitorInterval().toMillis();
        }
    }

    /** Fires what is due; returns how long to sleep before the next turn (0: more is due at once). */
    long fireDue() {
        Scheduling.Due d = schedules.due(PER_TURN);
        health.ok();
        for (Scheduling.Overdue o : d.overdue()) {
            finish(o);
        }
        boolean moved = false;
        for (Scheduling.Stored s : d.due()) {
            moved |= fire(s, d.serverMillis());
        }
        if (moved || d.overdue().size() == PER_TURN) {
            return 0;
        }
        long wait = config.janitorInterval().toMillis();
        wait = Math.min(wait, until(d.earliestNextMillis(), d.serverMillis(), wait));
        wait = Math.min(wait, until(d.earliestClaimDeadlineMillis(), d.serverMillis(), wait));
        return wait;
    }

    /** Milliseconds from {@code now} to {@code at} (+1, so the broker's clock has passed it), or {@code otherwise}. */
    private static long until(long at, long now, long otherwise) {
        return at < 0 || at < now ? otherwise : at - now + 1;
    }

    /** Claims, stores and marks fired the due tick of {@code s}; true if the claim moved its next fire time. */
    private boolean fire(Scheduling.Stored s, long now) {
        ScheduleDefinition def;
        try {
            def = ScheduleDefinition.fromJson(s.id(), s.definition());
        } catch (UndecodablePayloadException e) {
            if (undecodable.add(s.id() + s.definition())) {
                log.error("schedule '{}' cannot be read and is not fired: {}; register it again", s.id(), e.getMessage());
            }
            return false;
        }
        TickPlan plan = TickPlan.of(def.trigger(), def.misfire(), s.nextFireMillis(), now);
        if (!schedules.claim(s.id(), s.definition(), s.nextFireMillis(), plan.tickMillis(), plan.nextMillis(), CLAIM.toMillis())) {
            return false; // another firer took it, or it changed meanwhile: the next turn reads it again
        }
        if (plan.tickMillis() == TickPlan.NONE) {
            log.info("schedule '{}': tick {} was {} ms late and is skipped (misfire SKIP); next at {}", s.id(),
                    ScheduleDefinition.jobId(s.id(), s.nextFireMillis()), now - s.nextFireMillis(),
                    Instant.ofEpochMilli(plan.nextMillis()));
            return true;
        }
        if (plan.tickMillis() != s.nextFireMillis()) {
            log.info("schedule '{}': ticks from {} were missed; firing the latest, {} (misfire ONCE)", s.id(),
                    Instant.ofEpochMilli(s.nextFireMillis()), Instant.ofEpochMilli(plan.tickMillis()));
        }
        store(s.id(), def, plan.tickMillis());
        schedules.fired(s.id(), plan.tickMillis());
        return true;
    }

    /**
     * Finishes a claim whose firer did not, if this firer wins its takeover: stores the tick's job (once, whoever
     * stored it before) and marks it fired.
     */
    private void finish(Scheduling.Overdue o) {
        if (!schedules.reclaim(o.id(), o.tickMillis(), CLAIM.toMillis())) {
            return; // another firer took it over, or its firer finished it after all
        }
        if (o.definition() != null) {
            ScheduleDefinition def;
            try {
                def = ScheduleDefinition.fromJson(o.id(), o.definition());
            } catch (UndecodablePayloadException e) {
                def = null;
                log.error("schedule '{}' cannot be read; its claimed tick {} is dropped: {}", o.id(), o.tickMillis(), e.getMessage());
            }
            if (def != null) {
                log.info("schedule '{}': finishing tick {}, claimed by a firer that did not finish it", o.id(),
                        ScheduleDefinition.jobId(o.id(), o.tickMillis()));
                store(o.id(), def, o.tickMillis());
            }
        }
        schedules.fired(o.id(), o.tickMillis());
    }

    /** Stores the job of one tick under its tick id; a job stored before under that id makes this store nothing. */
    private void store(String scheduleId, ScheduleDefinition def, long tickMillis) {
        String jobId = ScheduleDefinition.jobId(scheduleId, tickMillis);
        long now = config.clock().millis();
        long expiresAt = def.ttlMillis() == 0 ? 0 : now + def.ttlMillis();
        byte[] payload = codec.encode(new Envelope(jobId, def.taskName(), def.params(), now, expiresAt, def.headers()));
        broker.enqueue(List.of(new OutgoingJob(def.taskName(), jobId, payload, 0, UNIQUE_FOR.toMillis())));
    }

    /** Cancels the timer; a turn in progress is interrupted. True if it ended within {@code grace}. */
    @Override
    public boolean stop(Duration grace) {
        return timer.stop(grace);
    }
}
