package io.partita.bench;

import java.util.SplittableRandom;

/**
 * Zipfian-distributed longs in {@code [0, items)}: 0 the most likely, then 1, and so on, with the item of rank
 * {@code r} drawn with probability proportional to {@code 1 / r^theta}. The algorithm of Gray et al., "Quickly
 * Generating Billion-Record Synthetic Databases" (SIGMOD 1994), as YCSB's {@code ZipfianGenerator} uses it: one
 * random double and one {@code pow} per draw, after computing the zeta constant of the item count once. The item
 * count may grow between draws (for {@code latest}); zeta is then extended incrementally. Not thread-safe.
 */
final class ZipfianGenerator {

    /** YCSB's zipfian constant. */
    static final double THETA = 0.99;
    /** Terms of zeta summed one by one before the tail is approximated. */
    static final long EXACT_TERMS = 1_000_000;

    private final SplittableRandom random;
    private final double theta;
    private final double alpha;
    private final double zeta2;
    private long items;
    private double zetan;
    private double eta;

    /**
     * A generator over {@code [0, items)}.
     *
     * @param zetan {@link #zeta}{@code (items, theta)}, given so that callers can compute it once for many
     *              generators (it costs one {@code pow} per item)
     */
    ZipfianGenerator(long items, double theta, double zetan, SplittableRandom random) {
        if (items < 1) {
            throw new IllegalArgumentException("items must be >= 1, got " + items);
        }
        this.random = random;
        this.theta = theta;
        this.alpha = 1.0 / (1.0 - theta);
        this.zeta2 = zeta(0, 2, theta, 0);
        this.items = items;
        this.zetan = zetan;
        this.eta = eta();
    }

    /** The sum of {@code 1 / i^theta} for {@code i} in {@code 1..n}. */
    static double zeta(long n, double theta) {
        return zeta(0, n, theta, 0);
    }

    /**
     * {@code sumSoFar} (the zeta of {@code from} items) extended to {@code to} items: term by term for the first
     * {@link #EXACT_TERMS} new terms, then, for huge item counts, the Euler-Maclaurin approximation of the rest (an
     * integral plus two correction terms; relative error below 1e-12 that far out), so that a billion records do not
     * cost a billion {@code pow} calls.
     */
    private static double zeta(long from, long to, double theta, double sumSoFar) {
        double sum = sumSoFar;
        long exactEnd = to - from > EXACT_TERMS ? from + EXACT_TERMS : to;
        for (long i = from; i < exactEnd; i++) {
            sum += 1 / Math.pow(i + 1, theta);
        }
        if (exactEnd < to) {
            // Terms a+1 .. b of 1/i^theta, with a = exactEnd and b = to.
            double a = exactEnd;
            double b = to;
            double integral = (Math.pow(b, 1 - theta) - Math.pow(a, 1 - theta)) / (1 - theta);
            double ends = (Math.pow(b, -theta) - Math.pow(a, -theta)) / 2;
            double slope = -theta * (Math.pow(b, -theta - 1) - Math.pow(a, -theta - 1)) / 12;
            sum += integral + ends + slope;
        }
        return sum;
    }

    private double eta() {
        return (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2 / zetan);
    }

    /** The next value in {@code [0, items)}. */
    long next() {
        double u = random.nextDouble();
        double uz = u * zetan;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < 1.0 + Math.pow(0.5, theta)) {
            return Math.min(1, items - 1);
        }
        return Math.min(items - 1, (long) (items * Math.pow(eta * u - eta + 1, alpha)));
    }

    /** The next value in {@code [0, newItems)}; {@code newItems} may only grow. */
    long next(long newItems) {
        if (newItems > items) {
            zetan = zeta(items, newItems, theta, zetan);
            items = newItems;
            eta = eta();
        }
        return next();
    }
}
