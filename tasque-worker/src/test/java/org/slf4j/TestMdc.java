package org.slf4j;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.NOPMDCAdapter;

/**
 * Gives tests a working MDC. The tests log through slf4j-simple, whose MDC adapter stores nothing, so a test of
 * what a worker puts in the MDC could never see it; this swaps in SLF4J's own thread-local adapter (through
 * {@code MDC}'s package-private setter, hence this package) once logging is initialised. Logging output is
 * unchanged: slf4j-simple does not print the MDC.
 */
public final class TestMdc {

    private TestMdc() {
    }

    /** Makes {@link MDC} keep values on this JVM, if it does not already. */
    public static synchronized void useWorkingAdapter() {
        LoggerFactory.getILoggerFactory();
        if (MDC.getMDCAdapter() == null || MDC.getMDCAdapter() instanceof NOPMDCAdapter) {
            MDC.setMDCAdapter(new BasicMDCAdapter());
        }
    }
}
