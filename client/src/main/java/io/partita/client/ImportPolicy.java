package io.partita.client;

/**
 * How {@link PartitaClient#importRecords} stores a record whose key already has a live record. Records whose expiry
 * has passed when the node applies them are never stored (counted in {@link ImportResult#expired()}).
 *
 * <p>Re-sending after an ambiguous outcome (the client does this on its own, see
 * {@link PartitaClient#importRecords}) never changes what ends up stored, but can change how a record is counted:
 * a record the first attempt wrote is counted as skipped by the re-send under {@link #CREATE_ONLY} and
 * {@link #GENERATION}.
 */
public enum ImportPolicy {
    /** Always store, overwriting the live record. Re-sending stores the same bytes again: idempotent. */
    REPLACE,
    /** Store only when no live record exists; otherwise counted in {@link ImportResult#skippedExisting()}. */
    CREATE_ONLY,
    /**
     * Store when no live record exists or the imported generation is higher than the live one (unsigned 32-bit);
     * otherwise counted in {@link ImportResult#skippedGeneration()}. Idempotent: after one write the generations
     * are equal and a re-send skips.
     */
    GENERATION;

    io.partita.protocol.v1.ImportPolicy toProto() {
        return switch (this) {
            case REPLACE -> io.partita.protocol.v1.ImportPolicy.IMPORT_REPLACE;
            case CREATE_ONLY -> io.partita.protocol.v1.ImportPolicy.IMPORT_CREATE_ONLY;
            case GENERATION -> io.partita.protocol.v1.ImportPolicy.IMPORT_GENERATION;
        };
    }
}
