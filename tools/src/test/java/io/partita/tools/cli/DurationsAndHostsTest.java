package io.partita.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationsAndHostsTest {

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(60), Durations.parse("60s"));
        assertEquals(Duration.ofSeconds(60), Durations.parse("60"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1H"));
        assertThrows(TypeConversionException.class, () -> Durations.parse("0s"));
        assertThrows(TypeConversionException.class, () -> Durations.parse("-1s"));
        assertThrows(TypeConversionException.class, () -> Durations.parse("soon"));
        assertEquals("2s", Durations.format(Duration.ofSeconds(2)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    }

    @Test
    void uptimes() {
        assertEquals("0s", Durations.uptime(999));
        assertEquals("59s", Durations.uptime(59_999));
        assertEquals("4m 12s", Durations.uptime(252_000));
        assertEquals("3h 7m", Durations.uptime((3 * 3600 + 7 * 60 + 5) * 1000L));
        assertEquals("2d 5h", Durations.uptime((2 * 86_400 + 5 * 3600) * 1000L));
    }

    @Test
    void hosts() {
        assertEquals(List.of("127.0.0.1:7300", "[::1]:7303", "db-1.example:7306"),
                Hosts.parse(List.of(" 127.0.0.1:7300", "[::1]:7303", "", "db-1.example:7306", "127.0.0.1:7300")));
        for (String bad : new String[] {"7300", "host", "host:", ":7300", "host:0", "host:70000", "::1:7300",
            "[::1:7300"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Hosts.parse(List.of(bad)), bad);
            assertEquals("--hosts: '" + bad + "' is not host:port (e.g. 127.0.0.1:7300 or [::1]:7300)",
                    e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Hosts.parse(List.of("")));
    }
}
