package io.partita.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a measured window cost the machine: CPU time and context switches of the servers (the pids given with
 * {@code --server-pids}) and of this load generator, read from Linux's {@code /proc}.
 *
 * <pre>{@code
 * ProcessCost watch = ProcessCost.watching(serverPids);
 * ProcessCost.Sample before = watch.sample();
 * ... run ...
 * Cost cost = watch.since(before);   // null where /proc cannot be read
 * cost.server().cpuMicrosPer(ops);
 * }</pre>
 *
 * <p>CPU is {@code utime + stime} of each process ({@code /proc/PID/stat}, all its threads, in USER_HZ = 1/100 s
 * ticks). Context switches are the voluntary and involuntary switches summed over the process's live threads
 * ({@code /proc/PID/task/TID/status}); a thread that exits inside the window takes its switches with it, so the
 * figure is a lower bound (thread pools of the measured systems are long-lived, so little is lost).
 */
public final class ProcessCost {
    /** Linux reports /proc CPU times in USER_HZ ticks, 100 per second on every architecture it exposes. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Path PROC = Path.of("/proc");

    private final List<Long> serverPids;
    private final long self = ProcessHandle.current().pid();

    private ProcessCost(List<Long> serverPids) {
        this.serverPids = List.copyOf(serverPids);
    }

    /** Watches {@code serverPids} (possibly none) and this process. */
    public static ProcessCost watching(List<Long> serverPids) {
        return new ProcessCost(serverPids);
    }

    /** CPU and context switches of a set of processes since they started. */
    public record Usage(long cpuNanos, long contextSwitches) {
        /**
         * The usage since {@code earlier}. Switches are counted over live threads, so threads that exited in between
         * can make the difference negative: it is clamped at 0 (a lower bound, as the class says).
         */
        Usage minus(Usage earlier) {
            return new Usage(cpuNanos - earlier.cpuNanos, Math.max(0, contextSwitches - earlier.contextSwitches));
        }

        /** CPU microseconds per operation, or NaN for no operations. */
        public double cpuMicrosPer(long ops) {
            return ops == 0 ? Double.NaN : cpuNanos / 1e3 / ops;
        }

        /** Context switches per operation, or NaN for no operations. */
        public double contextSwitchesPer(long ops) {
            return ops == 0 ? Double.NaN : (double) contextSwitches / ops;
        }
    }

    /** The servers' and the load generator's usage at one moment; a part is empty when /proc could not be read. */
    public record Sample(Optional<Usage> server, Optional<Usage> loadGenerator) {
    }

    /**
     * The cost of a window.
     *
     * @param server        the server processes, or {@code null} if none were watched or one could not be read
     * @param loadGenerator this process, or {@code null} without /proc
     */
    public record Cost(Usage server, Usage loadGenerator) {
    }

    /** Reads the current usage. */
    public Sample sample() {
        return new Sample(serverPids.isEmpty() ? Optional.empty() : usage(serverPids), usage(List.of(self)));
    }

    /** The cost from {@code before} to now. */
    public Cost since(Sample before) {
        Sample now = sample();
        return new Cost(difference(before.server(), now.server()),
            difference(before.loadGenerator(), now.loadGenerator()));
    }

    private static Usage difference(Optional<Usage> before, Optional<Usage> after) {
        return before.isPresent() && after.isPresent() ? after.get().minus(before.get()) : null;
    }

    private static Optional<Usage> usage(List<Long> pids) {
        long ticks = 0;
        long switches = 0;
        try {
            for (long pid : pids) {
                Path dir = PROC.resolve(Long.toString(pid));
                ticks += cpuTicks(Files.readString(dir.resolve("stat")));
                try (DirectoryStream<Path> tasks = Files.newDirectoryStream(dir.resolve("task"))) {
                    for (Path task : tasks) {
                        try {
                            switches += contextSwitches(Files.readString(task.resolve("status")));
                        } catch (IOException threadGone) {
                            // the thread exited between listing and reading: its switches are gone with it
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(new Usage(ticks * NANOS_PER_TICK, switches));
    }

    /** utime + stime of a {@code /proc/PID/stat} line, fields 14 and 15 (read after the comm's closing ')'). */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3]
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    /** voluntary + nonvoluntary context switches of a {@code /proc/PID/task/TID/status} text. */
    static long contextSwitches(String status) {
        long n = 0;
        for (String line : status.split("\n")) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                n += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return n;
    }
}
