package io.partita.bench;

import io.partita.bench.driver.ErrorCode;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Misses and errors by operation and {@link ErrorCode}. A {@link Live} tally is written by one worker and read by
 * the reporting thread; {@link #snapshot} copies it into an immutable {@code Tally} that can be added and subtracted.
 */
public final class Tally {

    /** Label of failures that carry no result code (a bug or a closed client: see the log). */
    public static final String CLIENT_EXCEPTION = ErrorCode.CLIENT_EXCEPTION.label();
    private static final OpType[] OPS = OpType.values();

    private final long[] misses;
    /** Per operation: error counts by code, in code order. */
    private final Map<OpType, TreeMap<ErrorCode, Long>> errors;

    private Tally(long[] misses, Map<OpType, TreeMap<ErrorCode, Long>> errors) {
        this.misses = misses;
        this.errors = errors;
    }

    /** A tally with every count zero. */
    public static Tally empty() {
        return new Tally(new long[OPS.length], emptyErrors());
    }

    /** A copy of a live tally's counts. */
    public static Tally snapshot(Live live) {
        long[] m = new long[OPS.length];
        Map<OpType, TreeMap<ErrorCode, Long>> e = emptyErrors();
        for (OpType op : OPS) {
            m[op.ordinal()] = live.misses.get(op.ordinal());
            live.errors.get(op).forEach((code, n) -> e.get(op).put(code, n.get()));
        }
        return new Tally(m, e);
    }

    /** This tally plus {@code other}. */
    public Tally plus(Tally other) {
        return combine(other, 1);
    }

    /** This tally minus {@code baseline}. */
    public Tally minus(Tally baseline) {
        return combine(baseline, -1);
    }

    private Tally combine(Tally other, long sign) {
        long[] m = misses.clone();
        Map<OpType, TreeMap<ErrorCode, Long>> e = emptyErrors();
        for (OpType op : OPS) {
            m[op.ordinal()] += sign * other.misses[op.ordinal()];
            e.get(op).putAll(errors.get(op));
            other.errors.get(op).forEach((code, n) -> e.get(op).merge(code, sign * n, Long::sum));
        }
        return new Tally(m, e);
    }

    /** Reads of records that do not exist. */
    public long misses(OpType op) {
        return misses[op.ordinal()];
    }

    /** Failed operations of type {@code op}, all codes. */
    public long errors(OpType op) {
        long n = 0;
        for (long c : errors.get(op).values()) {
            n += c;
        }
        return n;
    }

    /** Failed operations of all types. */
    public long errors() {
        long n = 0;
        for (OpType op : OPS) {
            n += errors(op);
        }
        return n;
    }

    /** Misses of all types. */
    public long misses() {
        long n = 0;
        for (OpType op : OPS) {
            n += misses(op);
        }
        return n;
    }

    /**
     * Non-zero error counts of the given operations summed, by label ({@code TIMEOUT(9)}, ...,
     * {@link #CLIENT_EXCEPTION}), in code order.
     */
    public Map<String, Long> errorsByCode(OpType... ops) {
        TreeMap<ErrorCode, Long> sum = new TreeMap<>();
        for (OpType op : ops) {
            errors.get(op).forEach((code, n) -> sum.merge(code, n, Long::sum));
        }
        Map<String, Long> out = new LinkedHashMap<>();
        sum.forEach((code, n) -> {
            if (n != 0) {
                out.put(code.label(), n);
            }
        });
        return out;
    }

    private static Map<OpType, TreeMap<ErrorCode, Long>> emptyErrors() {
        Map<OpType, TreeMap<ErrorCode, Long>> e = new EnumMap<>(OpType.class);
        for (OpType op : OPS) {
            e.put(op, new TreeMap<>());
        }
        return e;
    }

    /**
     * Counters of one writer thread, readable at any time from others. A miss costs one atomic increment; an error
     * also a map lookup (the first of each code allocates its counter).
     */
    public static final class Live {
        private final AtomicLongArray misses = new AtomicLongArray(OPS.length);
        private final Map<OpType, ConcurrentMap<ErrorCode, AtomicLong>> errors = new EnumMap<>(OpType.class);

        /** Empty counters. */
        public Live() {
            for (OpType op : OPS) {
                errors.put(op, new ConcurrentHashMap<>());
            }
        }

        /** Counts a read of a missing record. */
        public void miss(OpType op) {
            misses.incrementAndGet(op.ordinal());
        }

        /** Counts a failure under {@code code}. */
        public void error(OpType op, ErrorCode code) {
            errors.get(op).computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
        }
    }
}
