package io.partita.engine.write;

/** The kinds of record mutation a Raft log entry can carry. */
public enum WriteKind {
    PUT,
    DELETE,
    TOUCH,
    /** Store a record from a backup exactly as given (see {@link RestorePolicy}). */
    RESTORE,
    /** Run an ordered list of operations on the record ({@link WriteOp#operations()}), atomically. */
    OPERATE,
    /**
     * Remove a record that has expired, found by its group leader's expiry scan: only if it still has the generation
     * and void time the scan saw and has expired at the entry's time, so a rewrite that raced the scan survives.
     */
    EXPIRE,
    /**
     * Remove the records of a namespace (or one of its sets) last updated before a time, in a range of partitions
     * ({@link WriteOp#truncate()}): Aerospike's truncate, one partition range per log entry.
     */
    TRUNCATE
}
