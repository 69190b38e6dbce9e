package io.partita.raft.snapshot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only crash injection: when the system property {@value #PROPERTY} names a crash point, the process halts
 * there with exit code 137 (as after {@code kill -9}), so tests can check recovery from that exact point. Never set
 * it in production.
 */
public final class CrashPoints {
    /** System property naming the crash point to halt at (test only). */
    public static final String PROPERTY = "partita.test.crash-at";
    /** After a snapshot install cleared the group's column family, before it ingested the snapshot. */
    public static final String INSTALL_AFTER_CLEAR = "install-after-clear";

    private static final Logger LOG = LoggerFactory.getLogger(CrashPoints.class);

    private CrashPoints() {
    }

    static void reached(String point) {
        if (point.equals(System.getProperty(PROPERTY))) {
            LOG.error("Crash point {} reached: halting (test-only {} is set)", point, PROPERTY);
            Runtime.getRuntime().halt(137);
        }
    }
}
