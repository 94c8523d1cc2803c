package io.tasque;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes job ids that are unique across processes without coordination: a 60-bit random process prefix
 * drawn once from {@link SecureRandom}, then the time and a counter, in base 32 (about 24 characters).
 */
public final class JobIds {

    private static final String PREFIX = Long.toString(new SecureRandom().nextLong() >>> 4 | 1L << 59, 32);
    private static final AtomicLong COUNTER = new AtomicLong();

    private JobIds() {
    }

    /** A new unique job id. */
    public static String next() {
        return PREFIX + '-' + Long.toString(System.currentTimeMillis(), 32) + '-' + Long.toString(COUNTER.incrementAndGet(), 32);
    }
}
