package io.partita.bench;

import java.util.SplittableRandom;

/**
 * Picks record indexes uniformly at random from {@code [0, keySpace)}. Not thread-safe: one per worker. Two
 * choosers built from the same seed produce the same sequence.
 */
public final class KeyChooser {

    private final long keySpace;
    private final SplittableRandom random;

    /**
     * A chooser drawing from {@code random}, which it then owns.
     *
     * @param keySpace number of keys, at least 1
     * @throws IllegalArgumentException if {@code keySpace < 1}
     */
    public KeyChooser(long keySpace, SplittableRandom random) {
        if (keySpace < 1) {
            throw new IllegalArgumentException("key space must be >= 1, got " + keySpace);
        }
        this.keySpace = keySpace;
        this.random = random;
    }

    /** A chooser over {@code [0, keySpace)} seeded with {@code seed}. */
    public static KeyChooser seeded(long keySpace, long seed) {
        return new KeyChooser(keySpace, new SplittableRandom(seed));
    }

    /** The number of keys. */
    public long keySpace() {
        return keySpace;
    }

    /** The next index, uniform in {@code [0, keySpace)}. */
    public long next() {
        return random.nextLong(keySpace);
    }
}
