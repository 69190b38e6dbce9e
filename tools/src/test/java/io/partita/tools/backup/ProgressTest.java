package io.partita.tools.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void aTerminalGetsABarWithRateAndEta() {
        Progress p = new Progress(new PrintWriter(new StringWriter()), true, "backup", 1_000, now::get);
        p.add(250, 250L * 1024);
        now.set(5_000_000_000L);
        // 250 records in 5 s = 50/s; 750 left = 15 s.
        assertEquals("backup [######..................]  25% 250/1,000 records  250.0 KiB  50 rec/s  50.0 KiB/s"
                + "  ETA 0:15  elapsed 0:05", p.line());
    }

    @Test
    void plainLinesHaveNoBarAndNoEtaWhenTheTotalIsUnknown() {
        Progress p = new Progress(new PrintWriter(new StringWriter()), false, "restore", 0, now::get);
        p.add(3_000, 3L << 20);
        p.groupDone(3, 16);
        now.set(2_000_000_000L);
        String line = p.line();
        assertEquals("restore 3,000 records  3.0 MiB  1,500 rec/s  1.5 MiB/s  groups 3/16  elapsed 0:02", line);
        assertFalse(line.contains("["));
    }

    @Test
    void closePrintsTheFinalLineOnItsOwnLine() {
        StringWriter sink = new StringWriter();
        Progress p = new Progress(new PrintWriter(sink), true, "backup", 10, now::get);
        p.add(10, 10);
        now.set(1_000_000_000L);
        p.close();
        assertTrue(sink.toString().startsWith("\rbackup [########################] 100% 10/10 records"), sink.toString());
        assertTrue(sink.toString().endsWith(System.lineSeparator()));
    }

    @Test
    void theExpectedTotalIsExtrapolatedFromTheGroupsStartedSoFar() {
        Progress p = new Progress(new PrintWriter(new StringWriter()), false, "backup", 0, now::get);
        p.groupStarted(1_000, 4);
        p.groupStarted(3_000, 4); // 4,000 in 2 of 4 groups: about 8,000 in all
        p.add(2_000, 0);
        now.set(1_000_000_000L);
        assertTrue(p.line().startsWith("backup  25% 2,000/8,000 records"), p.line());
        assertTrue(p.line().contains("ETA 0:03"), p.line());
    }

    @Test
    void unitsAndClock() {
        assertEquals("999 B", Progress.bytes(999));
        assertEquals("1.5 KiB", Progress.bytes(1536));
        assertEquals("1.0 GiB", Progress.bytes(1L << 30));
        assertEquals("0:07", Progress.clock(7));
        assertEquals("1:02:03", Progress.clock(3723));
    }
}
