package io.partita.server.lincheck;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An immutable list of recorded {@link Op}s, ordered by call time. Record one with {@link HistoryRecorder}, or build
 * one with {@link #of} (tests of the checker itself).
 */
public final class History {
    private final List<Op> ops;
    private final long startNanos;

    private History(List<Op> ops) {
        this.ops = ops;
        this.startNanos = ops.isEmpty() ? 0 : ops.get(0).callNanos();
    }

    /** A history of {@code ops}, which must have distinct ids. */
    public static History of(Collection<Op> ops) {
        Set<Integer> ids = new HashSet<>();
        for (Op op : ops) {
            if (!ids.add(op.id())) {
                throw new IllegalArgumentException("two ops have id " + op.id());
            }
        }
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong(Op::callNanos).thenComparingInt(Op::id));
        return new History(List.copyOf(sorted));
    }

    /** Every op, in call order. */
    public List<Op> ops() {
        return ops;
    }

    /** The ops on {@code key}, in call order. */
    public List<Op> ops(String key) {
        List<Op> result = new ArrayList<>();
        for (Op op : ops) {
            if (op.key().equals(key)) {
                result.add(op);
            }
        }
        return result;
    }

    /** The keys the ops touch, sorted. */
    public SortedSet<String> keys() {
        SortedSet<String> keys = new TreeSet<>();
        for (Op op : ops) {
            keys.add(op.key());
        }
        return keys;
    }

    public int size() {
        return ops.size();
    }

    /** The whole history, one op per line, key by key, with times in ms since the first call: for failure logs. */
    public String format() {
        StringBuilder out = new StringBuilder();
        for (String key : keys()) {
            out.append("key \"").append(key).append("\":\n");
            for (Op op : ops(key)) {
                out.append("  ").append(line(op)).append('\n');
            }
        }
        return out.toString();
    }

    /** One op with its interval, e.g. {@code  1.250 ..  1.900 ms  #12 PUT(5) -> OK gen 3 [writer-2]}. */
    String line(Op op) {
        String end = op.definite() ? millis(op.returnNanos()) : "?";
        return String.format(Locale.ROOT, "%10s .. %10s ms  %s", millis(op.callNanos()), end, op);
    }

    /** {@code nanos} as milliseconds since the first call. */
    String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", (nanos - startNanos) / 1e6);
    }
}
