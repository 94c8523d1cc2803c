package io.tasque.broker;

import java.util.List;

/**
 * A broker that stores schedules and lets any number of workers fire each tick exactly once, without a leader.
 * The broker keeps, per schedule, its definition (opaque JSON text written by the client), its next fire time and
 * its last one; what is due is judged by the broker's own clock, so workers whose clocks differ never fire early
 * or twice.
 *
 * <p>A firer's turn: {@link #due} (one call: the server time, the earliest due schedules, the fires claimed but
 * not finished whose claim ran out); per due schedule {@link #claim} (compare-and-set on the next fire time read,
 * which moves it on and records the claim with a deadline), then store the tick's job under an id made from the
 * schedule and the tick (so storing it twice stores it once), then {@link #fired}. A firer that dies between claim
 * and fired leaves a claim that runs out; a firer then takes it over ({@link #reclaim}) and repeats the store and
 * the fired.
 */
public interface Scheduling extends BrokerCapability {

    /** What {@link #put} did. */
    enum PutResult {
        /** No schedule had this id. */
        CREATED,
        /** The same definition was stored already: nothing changed, its next fire time kept. */
        UNCHANGED,
        /** Another definition was stored under this id; it is replaced and the next fire time is the new one. */
        REPLACED
    }

    /** A stored schedule: its id, definition, next fire time (epoch ms) and last one (epoch ms, -1 if never fired). */
    record Stored(String id, String definition, long nextFireMillis, long lastFireMillis) {
    }

    /** A claimed tick whose claim ran out before it was marked fired; {@code definition} is null if it was removed. */
    record Overdue(String id, long tickMillis, String definition) {
    }

    /**
     * One firer's view, read in one step: the broker's time, the due schedules (earliest first, at most the
     * limit asked for; {@code lastFireMillis} is not read and is -1), the earliest next fire time of all
     * schedules (-1 if there is none), the overdue claims, and the earliest deadline of a claim still running (-1 if
     * none).
     */
    record Due(long serverMillis, List<Stored> due, long earliestNextMillis, List<Overdue> overdue,
               long earliestClaimDeadlineMillis) {
    }

    /** The broker's clock (Redis: {@code TIME}), in epoch ms. */
    long serverTimeMillis();

    /**
     * Stores schedule {@code id}. The same definition again changes nothing (its next fire time is kept); another
     * one replaces it with {@code nextFireMillis} as its next fire time; the last fire time is kept either way.
     */
    PutResult put(String id, String definition, long nextFireMillis);

    /** Removes schedule {@code id}; false if there was none. A claim of it in progress ends without a job. */
    boolean remove(String id);

    /** Every stored schedule, by id. */
    List<Stored> schedules();

    /** The firer's view of what is due; see {@link Due}. */
    Due due(int max);

    /**
     * Claims a tick of schedule {@code id}, if its stored next fire time is still {@code expectedNextMillis}, its
     * definition still {@code definition}, and that time is due by the broker's clock: moves the next fire time
     * to {@code newNextMillis} and records the claim of {@code tickMillis} with a deadline of {@code claimMillis}
     * from the broker's now. {@code tickMillis} -1 moves the next fire time on without claiming a tick (a dropped
     * tick). Exactly one of any number of firers racing for the same tick gets true.
     */
    boolean claim(String id, String definition, long expectedNextMillis, long tickMillis, long newNextMillis, long claimMillis);

    /**
     * Takes over the claim of {@code tickMillis} of {@code id} if it ran out by the broker's clock (its firer died or
     * stalled), with a new deadline of {@code claimMillis} from the broker's now: exactly one of any number of firers
     * finding it overdue gets true, and then stores the tick's job and calls {@link #fired}.
     */
    boolean reclaim(String id, long tickMillis, long claimMillis);

    /**
     * Marks the claimed tick {@code tickMillis} of {@code id} fired (its job is stored): the claim ends and the
     * schedule's last fire time becomes this tick if later. False if the claim was no longer there (another firer
     * finished it).
     */
    boolean fired(String id, long tickMillis);
}
