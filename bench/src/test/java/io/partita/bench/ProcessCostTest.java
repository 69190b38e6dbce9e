package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCostTest {

    @Test
    void readsUtimePlusStimeAfterACommandNameWithSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0 40 0 100 0\n";
        assertEquals(1234 + 567, ProcessCost.cpuTicks(stat));
    }

    @Test
    void addsVoluntaryAndInvoluntarySwitches() {
        String status = "Name:\tjava\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t120\n"
            + "nonvoluntary_ctxt_switches:\t7\n";
        assertEquals(127, ProcessCost.contextSwitches(status));
    }

    @Test
    void measuresThisProcessBurningCpuAndAServerPid() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        long self = ProcessHandle.current().pid();
        ProcessCost watch = ProcessCost.watching(List.of(self));
        ProcessCost.Sample before = watch.sample();
        // Spin until this thread has used 300 ms of CPU, however busy the machine is.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + 300_000_000L;
        long x = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        ProcessCost.Cost cost = watch.since(before);
        assertNotNull(cost.server());
        assertTrue(cost.loadGenerator().cpuNanos() >= 250_000_000L, "busy 300 ms of CPU but measured "
            + cost.loadGenerator() + " (" + x + ")");
        assertEquals(cost.server().cpuNanos(), cost.loadGenerator().cpuNanos(), 20_000_000L);
    }

    @Test
    void switchesLostWithExitedThreadsNeverCountBelowZero() {
        ProcessCost.Usage before = new ProcessCost.Usage(1_000, 500);
        ProcessCost.Usage after = new ProcessCost.Usage(3_000, 420); // a busy thread exited in between
        assertEquals(new ProcessCost.Usage(2_000, 0), after.minus(before));
    }

    @Test
    void aServerThatCannotBeReadIsNotReported() {
        ProcessCost.Cost cost = ProcessCost.watching(List.of(Long.MAX_VALUE)).since(
            ProcessCost.watching(List.of(Long.MAX_VALUE)).sample());
        assertNull(cost.server());
        assertNull(ProcessCost.watching(List.of()).since(ProcessCost.watching(List.of()).sample()).server());
    }
}
