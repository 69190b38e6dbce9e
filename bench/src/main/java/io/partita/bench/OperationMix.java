package io.partita.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The share of each {@link OpType} in a run, as weights (YCSB's proportions, in any unit: they are normalized).
 * Immutable and thread-safe; the randomness comes from the caller.
 */
public final class OperationMix {

    private final Map<OpType, Double> shares;
    /** Upper bounds of each operation's slice of [0, 1), in {@link #ops()} order, for {@link #next}. */
    private final double[] cumulative;
    private final List<OpType> ops;

    private OperationMix(Map<OpType, Double> weights) {
        double sum = 0;
        for (double w : weights.values()) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and >= 0, got " + w);
            }
            sum += w;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("at least one operation needs a weight > 0");
        }
        Map<OpType, Double> s = new EnumMap<>(OpType.class);
        List<OpType> nonZero = new ArrayList<>();
        for (OpType op : OpType.values()) {
            double w = weights.getOrDefault(op, 0.0);
            if (w > 0) {
                s.put(op, w / sum);
                nonZero.add(op);
            }
        }
        this.shares = Collections.unmodifiableMap(s);
        this.ops = List.copyOf(nonZero);
        this.cumulative = new double[ops.size()];
        double c = 0;
        for (int i = 0; i < ops.size(); i++) {
            c += shares.get(ops.get(i));
            cumulative[i] = c;
        }
        cumulative[ops.size() - 1] = 1.0; // no rounding gap at the top
    }

    /**
     * A mix of the given weights.
     *
     * @throws IllegalArgumentException if a weight is negative or not finite, or all are zero
     */
    public static OperationMix of(Map<OpType, Double> weights) {
        return new OperationMix(weights);
    }

    /** {@code readPercent}% reads, the rest updates: the generator's mix before workloads existed. */
    public static OperationMix readPercent(int readPercent) {
        if (readPercent < 0 || readPercent > 100) {
            throw new IllegalArgumentException("read percent must be in 0..100, got " + readPercent);
        }
        Map<OpType, Double> w = new EnumMap<>(OpType.class);
        w.put(OpType.READ, (double) readPercent);
        w.put(OpType.UPDATE, 100.0 - readPercent);
        return of(w);
    }

    /**
     * Parses {@code op=weight[,op=weight...]}, e.g. {@code read=95,insert=5}; operations not named get 0.
     *
     * @throws IllegalArgumentException naming the bad part
     */
    public static OperationMix parse(String spec) {
        Map<OpType, Double> w = new EnumMap<>(OpType.class);
        for (String part : spec.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + part + "' is not op=weight");
            }
            OpType op = OpType.ofLabel(part.substring(0, eq).strip().toLowerCase(Locale.ROOT));
            double weight;
            try {
                weight = Double.parseDouble(part.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part + "': the weight is not a number");
            }
            if (w.put(op, weight) != null) {
                throw new IllegalArgumentException(op.label() + " is given twice");
            }
        }
        return of(w);
    }

    /** The next operation: each with probability equal to its share. */
    public OpType next(SplittableRandom random) {
        double u = random.nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return ops.get(i);
            }
        }
        return ops.get(ops.size() - 1);
    }

    /** The operations with a share above zero, in {@link OpType} order. */
    public List<OpType> ops() {
        return ops;
    }

    /** The share of {@code op}, in [0, 1]. */
    public double share(OpType op) {
        return shares.getOrDefault(op, 0.0);
    }

    /** E.g. {@code read 95%, insert 5%}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (OpType op : ops) {
            sb.append(sb.length() == 0 ? "" : ", ").append(op.label()).append(' ')
                .append(String.format(Locale.ROOT, "%.4g", shares.get(op) * 100).replaceAll("\\.?0+$", ""))
                .append('%');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OperationMix && ((OperationMix) o).shares.equals(shares);
    }

    @Override
    public int hashCode() {
        return shares.hashCode();
    }
}
