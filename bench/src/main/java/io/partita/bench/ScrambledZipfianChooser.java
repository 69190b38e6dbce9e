package io.partita.bench;

import java.util.SplittableRandom;

/**
 * YCSB's scrambled zipfian: a zipfian draw over a fixed space of 10^10 items (whose zeta constant for theta 0.99 is
 * known, so nothing is computed per run), hashed with 64-bit FNV-1a and reduced modulo the record count. The
 * popularity curve is that of a zipfian with constant 0.99 whatever the record count, and the popular records are
 * scattered over the key space instead of being the lowest indexes.
 */
final class ScrambledZipfianChooser implements KeyChooser {

    /** YCSB's {@code ScrambledZipfianGenerator.ITEM_COUNT}. */
    static final long ITEM_COUNT = 10_000_000_000L;
    /** zeta(10^10, 0.99), YCSB's {@code ScrambledZipfianGenerator.ZETAN}. */
    static final double ZETAN = 26.46902820178302;

    private static final long FNV_OFFSET_BASIS_64 = 0xCBF29CE484222325L;
    private static final long FNV_PRIME_64 = 1099511628211L;

    private final long records;
    private final ZipfianGenerator zipfian;

    ScrambledZipfianChooser(long records, SplittableRandom random) {
        this.records = records;
        this.zipfian = new ZipfianGenerator(ITEM_COUNT, ZipfianGenerator.THETA, ZETAN, random);
    }

    @Override
    public long next() {
        long h = fnv64(zipfian.next());
        // YCSB takes Math.abs of the hash: same record count, same hot records as YCSB.
        return (h == Long.MIN_VALUE ? 0 : Math.abs(h)) % records;
    }

    /** FNV-1a over the 8 bytes of {@code value}, lowest first, as YCSB's {@code Utils.fnvhash64}. */
    static long fnv64(long value) {
        long hash = FNV_OFFSET_BASIS_64;
        long v = value;
        for (int i = 0; i < 8; i++) {
            hash ^= v & 0xff;
            hash *= FNV_PRIME_64;
            v >>= 8;
        }
        return hash;
    }
}
