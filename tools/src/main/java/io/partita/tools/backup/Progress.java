package io.partita.tools.backup;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Progress of a long backup or restore: records, bytes, rate and ETA. On a terminal it redraws one line in place (a
 * bar); otherwise (a log file, a pipe, CI) it prints a plain line at each interval, so logs stay readable.
 *
 * <p>Workers call {@link #add} from any thread; the counters are {@link LongAdder}s so that reporting never
 * contends with the data path.
 */
final class Progress implements AutoCloseable {
    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private final String verb;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private volatile long expectedRecords;
    private volatile long groupsDone;
    private volatile long groupsTotal;
    private long groupsStarted; // guarded by this
    private long estimatesStarted; // guarded by this
    private ScheduledExecutorService ticker;
    private int lastWidth;

    /**
     * @param out             where progress goes (stderr, so stdout keeps only the result)
     * @param terminal        redraw one line in place instead of printing a line per interval
     * @param verb            what is being done, e.g. {@code backup}
     * @param expectedRecords how many records the work should cover (an estimate; 0 = unknown, no ETA)
     */
    Progress(PrintWriter out, boolean terminal, String verb, long expectedRecords, LongSupplier nanoClock) {
        this.out = out;
        this.terminal = terminal;
        this.verb = verb;
        this.expectedRecords = expectedRecords;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /** Progress on stderr of the running process: a bar if stderr is a terminal, else a line every 5 s. */
    static Progress start(PrintWriter err, String verb, long expectedRecords) {
        boolean terminal = System.console() != null;
        Progress p = new Progress(err, terminal, verb, expectedRecords, System::nanoTime);
        p.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        long periodMs = terminal ? 500 : 5_000;
        p.ticker.scheduleAtFixedRate(p::print, periodMs, periodMs, TimeUnit.MILLISECONDS);
        return p;
    }

    void add(long recordCount, long byteCount) {
        records.add(recordCount);
        bytes.add(byteCount);
    }

    /** Raises or corrects the expected total (e.g. once every group's estimate is known). */
    void expect(long total) {
        expectedRecords = total;
    }

    /**
     * Counts a group's estimated record count (from its stream's header) towards the expected total, which is
     * extrapolated from the groups started so far to all {@code totalGroups}: an ETA from the first header on.
     */
    synchronized void groupStarted(long estimatedRecords, int totalGroups) {
        groupsStarted++;
        estimatesStarted += estimatedRecords;
        expectedRecords = estimatesStarted * totalGroups / groupsStarted;
    }

    /** Shows {@code groups DONE/TOTAL}: the unit that finishes, when the record total is not known up front. */
    void groupDone(long done, long total) {
        groupsDone = done;
        groupsTotal = total;
    }

    long records() {
        return records.sum();
    }

    long bytes() {
        return bytes.sum();
    }

    double elapsedSeconds() {
        return (nanoClock.getAsLong() - startNanos) / 1e9;
    }

    /** The current progress as one line, e.g. {@code backup [#####....] 41% 412,345/1,000,000 records ...}. */
    String line() {
        long r = records.sum();
        long b = bytes.sum();
        double secs = Math.max(elapsedSeconds(), 1e-3);
        double rate = r / secs;
        StringBuilder s = new StringBuilder(verb);
        long expected = expectedRecords;
        if (expected > 0) {
            double fraction = Math.min(1.0, (double) r / expected);
            if (terminal) {
                int filled = (int) Math.round(fraction * BAR_WIDTH);
                s.append(" [").append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append(']');
            }
            s.append(String.format(Locale.ROOT, " %3.0f%% %,d/%,d records", fraction * 100, r, expected));
        } else {
            s.append(String.format(Locale.ROOT, " %,d records", r));
        }
        s.append(String.format(Locale.ROOT, "  %s  %,.0f rec/s  %s/s", bytes(b), rate, bytes((long) (b / secs))));
        if (groupsTotal > 0) {
            s.append("  groups ").append(groupsDone).append('/').append(groupsTotal);
        }
        if (expected > r && rate > 0) {
            s.append("  ETA ").append(clock((long) ((expected - r) / rate)));
        }
        s.append("  elapsed ").append(clock((long) secs));
        return s.toString();
    }

    private synchronized void print() {
        String line = line();
        if (terminal) {
            int pad = Math.max(0, lastWidth - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Stops the ticker and prints the final line. */
    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        print();
        if (terminal) {
            out.println();
            out.flush();
        }
    }

    /** {@code 1.5 KiB}, {@code 402.7 MiB}: binary units, one decimal. */
    static String bytes(long n) {
        return io.partita.tools.cli.Sizes.bytes(n);
    }

    /** {@code 0:07}, {@code 12:30}, {@code 1:02:03}. */
    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
