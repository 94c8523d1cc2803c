/**
 * Schedules: when a schedule ticks ({@link io.tasque.schedule.ScheduleTrigger}: a 5-field Unix cron expression in a
 * time zone, or a fixed period) and what the broker stores of it ({@link io.tasque.schedule.ScheduleDefinition}).
 * Shared by the client, which checks and registers schedules, and the worker, which fires their ticks.
 */
package io.tasque.schedule;
