package io.partita.server.metrics;

import com.codahale.metrics.Reservoir;
import com.codahale.metrics.Snapshot;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A Dropwizard {@link Reservoir} over HdrHistogram: every value is counted (no sampling), so p99 and p999 are real,
 * within 2 significant digits. Writers go through a {@link Recorder} (wait-free, no lock); readers see the values
 * of the last full window plus the current one, so quantiles follow recent load rather than the whole uptime.
 */
public final class HdrReservoir implements Reservoir {
    /** Quantiles cover between one and two windows of this length. */
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int SIGNIFICANT_DIGITS = 2;

    private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
    private final LongSupplier nanoClock;
    // Reader side only, guarded by this: scrapes are rare next to updates.
    private Histogram current = new Histogram(SIGNIFICANT_DIGITS);
    private Histogram previous = new Histogram(SIGNIFICANT_DIGITS);
    private Histogram recycled;
    private long windowStart;

    public HdrReservoir() {
        this(System::nanoTime);
    }

    HdrReservoir(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    @Override
    public void update(long value) {
        // Negative values cannot be recorded; a clock step backwards is not worth an exception on the hot path.
        recorder.recordValue(Math.max(0, value));
    }

    @Override
    public synchronized int size() {
        return (int) Math.min(Integer.MAX_VALUE, collect().getTotalCount());
    }

    @Override
    public synchronized Snapshot getSnapshot() {
        return new HdrSnapshot(collect());
    }

    /** Folds what writers recorded since the last read into the window; returns previous + current windows. */
    private Histogram collect() {
        recycled = recorder.getIntervalHistogram(recycled);
        current.add(recycled);
        long now = nanoClock.getAsLong();
        if (now - windowStart >= WINDOW_NANOS) {
            Histogram emptied = previous;
            emptied.reset();
            previous = current;
            current = emptied;
            windowStart = now;
        }
        Histogram both = current.copy();
        both.add(previous);
        return both;
    }
}
