package io.partita.bench;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The indexes of the records a run inserts, shared by all workers: the first is {@code records} (just past the
 * loaded ones). Tracks the acknowledged prefix, as YCSB's {@code AcknowledgedCounterGenerator} does, so that
 * {@code latest} only reads records that exist: inserts complete out of order, and {@link #acknowledged()} only
 * moves past an index once every index below it has completed. A failed insert counts as completed (its record may
 * then be missing: a miss, as in YCSB). Thread-safe.
 */
public final class InsertSequence {

    private final AtomicLong next;
    /** Completed indexes above the contiguous prefix, relative to it; guarded by {@code this}. */
    private final BitSet pending = new BitSet();
    private volatile long acknowledged;
    private double zetaCache = -1;
    private long zetaCacheItems = -1;

    /** A sequence after {@code records} loaded records, {@code 0..records-1}. */
    public InsertSequence(long records) {
        this.next = new AtomicLong(records);
        this.acknowledged = records;
    }

    /** The index of the next record to insert. */
    public long next() {
        return next.getAndIncrement();
    }

    /** Marks the insert of {@code index} completed (acknowledged or failed). */
    public synchronized void completed(long index) {
        long base = acknowledged;
        int offset = (int) (index - base); // at most the number of inserts in flight, i.e. threads
        pending.set(offset);
        int advance = pending.nextClearBit(0);
        if (advance > 0) {
            acknowledged = base + advance;
            BitSet rest = pending.get(advance, Math.max(advance, pending.length()));
            pending.clear();
            pending.or(rest);
        }
    }

    /** The number of records {@code 0..n-1} known to be written (loaded or inserted and completed). */
    public long acknowledged() {
        return acknowledged;
    }

    /**
     * Zipfian's zeta constant for {@code items} items, computed once per sequence (one {@code pow} per item) and
     * shared by the workers' {@link LatestChooser}s.
     */
    synchronized double zeta(long items) {
        if (zetaCacheItems != items) {
            zetaCache = ZipfianGenerator.zeta(items, ZipfianGenerator.THETA);
            zetaCacheItems = items;
        }
        return zetaCache;
    }
}
