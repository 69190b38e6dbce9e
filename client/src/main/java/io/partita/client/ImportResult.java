package io.partita.client;

/**
 * Counts of what an import did with its records. Immutable; combine partial results with {@link #plus}.
 */
public final class ImportResult {
    /** No records. */
    public static final ImportResult EMPTY = new ImportResult(0, 0, 0, 0);

    private final long written;
    private final long skippedExisting;
    private final long skippedGeneration;
    private final long expired;

    /**
     * @param written           records stored
     * @param skippedExisting   records not stored because a live record existed (CREATE_ONLY)
     * @param skippedGeneration records not stored because the live record's generation was the same or higher
     * @param expired           records not stored because their expiry had passed when applied
     */
    public ImportResult(long written, long skippedExisting, long skippedGeneration, long expired) {
        this.written = written;
        this.skippedExisting = skippedExisting;
        this.skippedGeneration = skippedGeneration;
        this.expired = expired;
    }

    /** Records stored. */
    public long written() {
        return written;
    }

    /** Records skipped because a live record existed ({@link ImportPolicy#CREATE_ONLY}). */
    public long skippedExisting() {
        return skippedExisting;
    }

    /** Records skipped because the live record's generation was the same or higher ({@link ImportPolicy#GENERATION}). */
    public long skippedGeneration() {
        return skippedGeneration;
    }

    /** Records skipped because their expiry had passed when the node applied them. */
    public long expired() {
        return expired;
    }

    /** All records counted. */
    public long total() {
        return written + skippedExisting + skippedGeneration + expired;
    }

    /** The sum of this result and {@code o}. */
    public ImportResult plus(ImportResult o) {
        return new ImportResult(written + o.written, skippedExisting + o.skippedExisting,
                skippedGeneration + o.skippedGeneration, expired + o.expired);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImportResult r && r.written == written && r.skippedExisting == skippedExisting
                && r.skippedGeneration == skippedGeneration && r.expired == expired;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(written) * 31 * 31 * 31 + Long.hashCode(skippedExisting) * 31 * 31
                + Long.hashCode(skippedGeneration) * 31 + Long.hashCode(expired);
    }

    @Override
    public String toString() {
        return "ImportResult{written=" + written + ", skippedExisting=" + skippedExisting + ", skippedGeneration="
                + skippedGeneration + ", expired=" + expired + '}';
    }
}
