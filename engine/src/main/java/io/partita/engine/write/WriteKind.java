package io.partita.engine.write;

/** The kinds of record mutation a Raft log entry can carry. */
public enum WriteKind {
    PUT,
    DELETE,
    TOUCH,
    /** Store a record from a backup exactly as given (see {@link RestorePolicy}). */
    RESTORE,
    /** Run an ordered list of operations on the record ({@link WriteOp#operations()}), atomically. */
    OPERATE
}
