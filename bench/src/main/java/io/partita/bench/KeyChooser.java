package io.partita.bench;

import java.util.SplittableRandom;

/**
 * Picks the index of the record the next read, update, scan or read-modify-write works on, following a
 * {@link Distribution}. Not thread-safe: one per worker. Two choosers of the same distribution built from the same
 * seed produce the same sequence (for {@code latest}, as long as the inserts interleave the same way).
 */
@FunctionalInterface
public interface KeyChooser {

    /** The next record index, at least 0. */
    long next();

    /**
     * A chooser of {@code distribution} over {@code records} loaded records.
     *
     * @param inserts the run's shared insert sequence (only {@code latest} follows it)
     * @throws IllegalArgumentException if {@code records < 1}
     */
    static KeyChooser of(Distribution distribution, long records, InsertSequence inserts, SplittableRandom random) {
        if (records < 1) {
            throw new IllegalArgumentException("records must be >= 1, got " + records);
        }
        return distribution.chooser(records, inserts, random);
    }
}
