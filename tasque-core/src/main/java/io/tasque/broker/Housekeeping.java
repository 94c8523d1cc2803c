package io.tasque.broker;

import java.util.List;

/**
 * What one housekeeping pass moved: delayed jobs that fell due, and jobs whose lease expired; and the queues
 * it could not sweep because of bad data (left untouched).
 */
public record Housekeeping(long promoted, long reclaimed, List<BrokenQueue> broken) {

    /** A pass that found no broken queue. */
    public Housekeeping(long promoted, long reclaimed) {
        this(promoted, reclaimed, List.of());
    }
}
