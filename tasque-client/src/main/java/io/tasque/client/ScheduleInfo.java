package io.tasque.client;

import io.tasque.Misfire;
import java.time.Instant;

/**
 * One schedule as {@link TasqueAdmin#schedules()} reports it.
 *
 * @param id         the schedule id
 * @param taskName   the name of the task each tick submits
 * @param definition when it ticks, as text: {@code cron 0 2 * * * Europe/Paris} or {@code every PT10S}
 * @param misfire    what it does about ticks missed while no worker could fire them
 * @param nextFire   the next tick to fire
 * @param lastFire   the latest tick fired (its job stored), or null if none was yet
 */
public record ScheduleInfo(String id, String taskName, String definition, Misfire misfire, Instant nextFire, Instant lastFire) {
}
