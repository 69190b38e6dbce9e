package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.time.Clock;
import io.partita.server.config.ConfigException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClockOffsetTest {

    private static Properties offset(String value) {
        Properties p = new Properties();
        p.setProperty(ClockOffset.PROPERTY, value);
        return p;
    }

    @Test
    void noPropertyIsTheSystemClock() {
        assertSame(Clock.SYSTEM, ClockOffset.fromProperties(new Properties()));
        assertSame(Clock.SYSTEM, ClockOffset.fromProperties(offset(" ")));
    }

    @Test
    void shiftsTheClockAheadOrBehind() {
        long before = System.currentTimeMillis();
        long behind = ClockOffset.fromProperties(offset("-30s")).nowMs();
        long ahead = ClockOffset.fromProperties(offset("2m")).nowMs();
        long after = System.currentTimeMillis();
        assertTrue(behind >= before - 30_000 && behind <= after - 30_000, "behind: " + behind);
        assertTrue(ahead >= before + 120_000 && ahead <= after + 120_000, "ahead: " + ahead);
    }

    @Test
    void rejectsWhatIsNotASignedDurationWithinADay() {
        assertEquals("-Dpartita.test.clock-offset: '30' has no unit (use e.g. 500ms, 2s, 90m, 12h, 30d); a leading -"
                + " sets the clock behind", assertThrows(ConfigException.class, () -> ClockOffset.parse("30"))
                .getMessage());
        assertThrows(ConfigException.class, () -> ClockOffset.parse("+5s"));
        assertThrows(ConfigException.class, () -> ClockOffset.parse("--5s"));
        assertEquals("-Dpartita.test.clock-offset: '-2d' is more than a day (test clock skews are seconds to"
                + " minutes)", assertThrows(ConfigException.class, () -> ClockOffset.parse("-2d")).getMessage());
        assertEquals(-86_400_000L, ClockOffset.parse("-1d"));
    }
}
