package io.partita.client;

/**
 * A batch read in which some keys failed (a code other than OK or KEY_NOT_FOUND, e.g. TIMEOUT when a node stayed
 * unreachable): {@link #results()} holds every key's outcome, the ones that succeeded included. The exception's
 * result code and message are those of the first key that failed.
 */
public final class BatchException extends PartitaException {
    private static final long serialVersionUID = 1L;

    private final transient BatchResults results;

    BatchException(BatchRecord first, BatchResults results, int failed) {
        super(first.resultCode(), failed + " of " + results.records().size() + " keys failed; the first, " + first.key()
                + ": " + first.message(), first.inDoubt(), null);
        this.results = results;
    }

    /** Every key's outcome, in the caller's order. */
    public BatchResults results() {
        return results;
    }
}
