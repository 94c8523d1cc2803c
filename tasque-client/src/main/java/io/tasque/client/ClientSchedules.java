package io.tasque.client;

import io.tasque.Misfire;
import io.tasque.Task;
import io.tasque.broker.Broker;
import io.tasque.broker.Scheduling;
import io.tasque.codec.Envelope;
import io.tasque.codec.TaskCodec;
import io.tasque.schedule.ScheduleDefinition;
import io.tasque.schedule.ScheduleTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's side of schedules: checks a registration, stores its definition with its first fire time (counted
 * from the broker's clock), removes and lists schedules. Firing is the workers' ({@code ScheduleFirer}).
 */
final class ClientSchedules {

    private static final Logger log = LoggerFactory.getLogger(ClientSchedules.class);

    private final Broker broker;
    private final TaskCodec codec;
    private final Duration ttl;

    ClientSchedules(Broker broker, TaskCodec codec, Duration ttl) {
        this.broker = broker;
        this.codec = codec;
        this.ttl = ttl;
    }

    /** Checks and stores a schedule; the trigger was made (and so checked) by the caller. */
    void put(String scheduleId, ScheduleTrigger trigger, Task template, Misfire misfire) {
        ScheduleDefinition definition = definition(scheduleId, trigger, template, misfire);
        Scheduling scheduling = scheduling();
        Instant now = Instant.ofEpochMilli(scheduling.serverTimeMillis());
        Instant first = trigger.next(now);
        if (first == null) {
            throw new IllegalArgumentException("schedule '" + scheduleId + "': " + trigger.text() + " has no tick after " + now);
        }
        Scheduling.PutResult r = scheduling.put(scheduleId, definition.toJson(), first.toEpochMilli());
        if (r != Scheduling.PutResult.UNCHANGED) {
            log.info("schedule '{}' {}: {} → task '{}', next at {}", scheduleId, r == Scheduling.PutResult.CREATED
                    ? "created" : "replaced", trigger.text(), template.name(), first);
        }
    }

    boolean remove(String scheduleId) {
        ScheduleDefinition.checkId(scheduleId);
        return scheduling().remove(scheduleId);
    }

    List<ScheduleInfo> list() {
        List<ScheduleInfo> out = new ArrayList<>();
        for (Scheduling.Stored s : scheduling().schedules()) {
            ScheduleDefinition d = ScheduleDefinition.fromJson(s.id(), s.definition());
            out.add(new ScheduleInfo(s.id(), d.taskName(), d.trigger().text(), d.misfire(),
                    s.nextFireMillis() < 0 ? null : Instant.ofEpochMilli(s.nextFireMillis()),
                    s.lastFireMillis() < 0 ? null : Instant.ofEpochMilli(s.lastFireMillis())));
        }
        return out;
    }

    /**
     * The definition to store, refusing what no tick could submit: a template with an id, a name the broker refuses,
     * params the codec cannot encode or over the payload limit.
     */
    private ScheduleDefinition definition(String scheduleId, ScheduleTrigger trigger, Task template, Misfire misfire) {
        ScheduleDefinition.checkId(scheduleId);
        if (template == null) {
            throw new IllegalArgumentException("template must not be null (schedule '" + scheduleId + "')");
        }
        if (misfire == null) {
            throw new IllegalArgumentException("misfire must not be null (schedule '" + scheduleId + "')");
        }
        if (template.id() != null) {
            throw new IllegalArgumentException("template task '" + template.name() + "' of schedule '" + scheduleId
                    + "' has the id '" + template.id() + "'; leave Task.id unset: every tick's job gets its own id, "
                    + ScheduleDefinition.jobId(scheduleId, 0).replace("1970-01-01T00:00:00Z", "<tick>"));
        }
        broker.checkQueueName(template.name());
        // encoded once now so a template no tick could submit fails here, not in a worker at every tick
        String probeId = ScheduleDefinition.jobId(scheduleId, 0);
        codec.encode(new Envelope(probeId, template.name(), template.params(), 0, ttl.toMillis(), template.headers()));
        return new ScheduleDefinition(scheduleId, trigger, misfire, template.name(), template.params(),
                template.headers(), ttl.toMillis());
    }

    private Scheduling scheduling() {
        return broker.capability(Scheduling.class).orElseThrow(() -> new UnsupportedOperationException(
                "the broker " + broker.describe() + " cannot store schedules"));
    }
}
