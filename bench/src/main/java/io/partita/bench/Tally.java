package io.partita.bench;

import io.partita.protocol.ResultCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Misses and errors by operation and result code. A {@link Live} tally is written by one worker and read by the
 * reporting thread; {@link #snapshot} copies it into an immutable {@code Tally} that can be added and subtracted.
 */
public final class Tally {

    private static final ResultCode[] CODES = ResultCode.values();
    /** Error slots per operation: one per {@link ResultCode}, then one for failures that carry no code. */
    static final int ERROR_SLOTS = CODES.length + 1;
    /** Label of failures that are not a {@code PartitaException} (a bug or a closed client: see the log). */
    public static final String CLIENT_EXCEPTION = "CLIENT_EXCEPTION";
    private static final int STRIDE = ERROR_SLOTS + 1; // misses, then the error slots
    private static final int SIZE = OpType.values().length * STRIDE;

    private final long[] counts;

    private Tally(long[] counts) {
        this.counts = counts;
    }

    /** A tally with every count zero. */
    public static Tally empty() {
        return new Tally(new long[SIZE]);
    }

    /** A copy of a live tally's counts. */
    public static Tally snapshot(Live live) {
        long[] c = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            c[i] = live.counts.get(i);
        }
        return new Tally(c);
    }

    /** This tally plus {@code other}. */
    public Tally plus(Tally other) {
        long[] c = counts.clone();
        for (int i = 0; i < SIZE; i++) {
            c[i] += other.counts[i];
        }
        return new Tally(c);
    }

    /** This tally minus {@code baseline}. */
    public Tally minus(Tally baseline) {
        long[] c = counts.clone();
        for (int i = 0; i < SIZE; i++) {
            c[i] -= baseline.counts[i];
        }
        return new Tally(c);
    }

    /** Reads of records that do not exist. */
    public long misses(OpType op) {
        return counts[op.ordinal() * STRIDE];
    }

    /** Failed operations of type {@code op}, all codes. */
    public long errors(OpType op) {
        long n = 0;
        for (int s = 0; s < ERROR_SLOTS; s++) {
            n += counts[errorIndex(op, s)];
        }
        return n;
    }

    /** Failed operations of all types. */
    public long errors() {
        long n = 0;
        for (OpType op : OpType.values()) {
            n += errors(op);
        }
        return n;
    }

    /** Misses of all types. */
    public long misses() {
        long n = 0;
        for (OpType op : OpType.values()) {
            n += misses(op);
        }
        return n;
    }

    /**
     * Non-zero error counts of the given operations summed, by label ({@code TIMEOUT(9)}, ...,
     * {@link #CLIENT_EXCEPTION}), in result-code order.
     */
    public Map<String, Long> errorsByCode(OpType... ops) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int s = 0; s < ERROR_SLOTS; s++) {
            long n = 0;
            for (OpType op : ops) {
                n += counts[errorIndex(op, s)];
            }
            if (n != 0) {
                out.put(label(s), n);
            }
        }
        return out;
    }

    /** The report label of a result code, e.g. {@code TIMEOUT(9)}. */
    public static String label(ResultCode code) {
        return code.name() + "(" + code.code() + ")";
    }

    private static String label(int slot) {
        return slot < CODES.length ? label(CODES[slot]) : CLIENT_EXCEPTION;
    }

    private static int errorIndex(OpType op, int slot) {
        return op.ordinal() * STRIDE + 1 + slot;
    }

    /** Counters of one writer thread, readable at any time from others. */
    public static final class Live {
        private final AtomicLongArray counts = new AtomicLongArray(SIZE);

        /** Counts a read of a missing record. */
        public void miss(OpType op) {
            counts.incrementAndGet(op.ordinal() * STRIDE);
        }

        /** Counts a failure; {@code code} null means a failure without a result code. */
        public void error(OpType op, ResultCode code) {
            counts.incrementAndGet(errorIndex(op, code == null ? ERROR_SLOTS - 1 : code.ordinal()));
        }
    }
}
