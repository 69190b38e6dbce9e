package io.partita.bench;

import java.util.Locale;
import java.util.SplittableRandom;

/** How the generator picks the record an operation reads or updates ({@code --distribution}). */
public enum Distribution {
    /** Every loaded record equally likely. */
    UNIFORM {
        @Override
        KeyChooser chooser(long records, InsertSequence inserts, SplittableRandom random) {
            return () -> random.nextLong(records);
        }
    },
    /**
     * YCSB's scrambled zipfian over the loaded records: popularity follows a zipfian law with constant 0.99, and
     * the popular records are spread over the key space by a hash (so they are not all in one key range).
     */
    ZIPFIAN {
        @Override
        KeyChooser chooser(long records, InsertSequence inserts, SplittableRandom random) {
            return new ScrambledZipfianChooser(records, random);
        }
    },
    /** The most recently inserted records most likely (zipfian over the age of a record); follows the inserts. */
    LATEST {
        @Override
        KeyChooser chooser(long records, InsertSequence inserts, SplittableRandom random) {
            return new LatestChooser(inserts, random);
        }
    };

    /**
     * A chooser for one worker thread.
     *
     * @param records the loaded records, {@code 0..records-1}
     * @param inserts the run's shared insert sequence (records above {@code records-1})
     * @param random  owned by the chooser from now on
     */
    abstract KeyChooser chooser(long records, InsertSequence inserts, SplittableRandom random);

    /** The name as given on the command line and shown in the report. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
