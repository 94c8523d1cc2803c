package io.tasque.broker;

/** What one housekeeping pass moved: delayed jobs that fell due, and jobs whose lease expired. */
public record Housekeeping(long promoted, long reclaimed) {
}
