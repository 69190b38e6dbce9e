package io.partita.bench;

import io.partita.bench.driver.ErrorCode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What one worker thread measured: a latency recorder (microseconds) per operation and its miss and error counts.
 * The worker is the only writer; recording is wait-free (no lock on the hot path). One reporting thread drains the
 * recorders with {@link #drain}.
 */
public final class WorkerStats {

    /** Significant decimal digits of every latency histogram: values are kept within 0.1%. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder[] recorders = new SingleWriterRecorder[OpType.values().length];
    private final Tally.Live tally = new Tally.Live();

    /** Empty statistics. */
    public WorkerStats() {
        for (int i = 0; i < recorders.length; i++) {
            recorders[i] = new SingleWriterRecorder(SIGNIFICANT_DIGITS); // auto-resizing: no value is too large
        }
    }

    /** Records a completed operation (a read miss included) that took {@code micros}. */
    public void success(OpType op, long micros) {
        recorders[op.ordinal()].recordValue(Math.max(0, micros));
    }

    /** Records a read that found no record: a completed operation and a miss. */
    public void miss(OpType op, long micros) {
        success(op, micros);
        tally.miss(op);
    }

    /** Counts a failed operation under {@code code}; its latency is not recorded. */
    public void error(OpType op, ErrorCode code) {
        tally.error(op, code);
    }

    /** The latencies recorded since the previous drain of {@code op}; resets the interval. Reporting thread only. */
    public Histogram drain(OpType op) {
        return recorders[op.ordinal()].getIntervalHistogram();
    }

    /** The live miss and error counts. */
    public Tally.Live tally() {
        return tally;
    }
}
