package io.partita.bench;

import java.util.SplittableRandom;

/**
 * YCSB's {@code latest}: the newest acknowledged record is the most likely, the one before it the next most likely,
 * and so on (a zipfian draw over a record's age, as YCSB's {@code SkewedLatestGenerator}). Follows the inserts of the
 * run through the shared {@link InsertSequence}, so that a read never picks a record whose insert has not been
 * acknowledged yet.
 */
final class LatestChooser implements KeyChooser {

    private final InsertSequence inserts;
    private final ZipfianGenerator zipfian;

    LatestChooser(InsertSequence inserts, SplittableRandom random) {
        this.inserts = inserts;
        long n = inserts.acknowledged();
        this.zipfian = new ZipfianGenerator(n, ZipfianGenerator.THETA, inserts.zeta(n), random);
    }

    @Override
    public long next() {
        long n = inserts.acknowledged(); // records 0..n-1 are all written
        return n - 1 - zipfian.next(n);
    }
}
