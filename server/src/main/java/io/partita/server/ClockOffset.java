package io.partita.server;

import io.partita.engine.time.Clock;
import io.partita.server.config.ConfigException;
import io.partita.server.config.Durations;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only clock skew: when the system property {@value #PROPERTY} is set (e.g.
 * {@code -Dpartita.test.clock-offset=-30s}), the node's {@link Clock} (write stamps, expiry checks) runs that far ahead of the system clock, or behind it with a
 * leading minus. Fault tests use it to run one node of a cluster with a skewed clock, as after a bad NTP step. Never
 * set it in production: record times would be wrong by the offset.
 */
public final class ClockOffset {
    /** System property giving the offset, {@code [-]<duration>} (test only). */
    public static final String PROPERTY = "partita.test.clock-offset";
    /** Largest accepted offset either way: beyond it a typo (days for seconds) is more likely than a test. */
    static final Duration MAX = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(ClockOffset.class);

    private ClockOffset() {
    }

    /**
     * The system clock shifted by the offset {@code properties} give, or {@link Clock#SYSTEM} if they give none.
     *
     * @param properties usually {@link System#getProperties()}
     * @return the node's clock
     * @throws ConfigException naming the property if its value is not {@code [-]<duration>} within a day
     */
    public static Clock fromProperties(Properties properties) {
        long offsetMs = parse(properties.getProperty(PROPERTY));
        if (offsetMs == 0) {
            return Clock.SYSTEM;
        }
        LOG.warn("Test-only {}={} is set: this node's clock runs {} ms {} the system clock", PROPERTY,
                properties.getProperty(PROPERTY), Math.abs(offsetMs), offsetMs > 0 ? "ahead of" : "behind");
        return () -> System.currentTimeMillis() + offsetMs;
    }

    /** The offset in milliseconds, 0 if {@code value} is null or blank. */
    static long parse(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String text = value.strip();
        boolean behind = text.startsWith("-");
        Duration d;
        try {
            d = Durations.parse(behind ? text.substring(1) : text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(null, "-D" + PROPERTY, e.getMessage() + "; a leading - sets the clock behind");
        }
        if (d.compareTo(MAX) > 0) {
            throw new ConfigException(null, "-D" + PROPERTY, "'" + value + "' is more than a day (test clock skews are"
                    + " seconds to minutes)");
        }
        return behind ? -d.toMillis() : d.toMillis();
    }
}
