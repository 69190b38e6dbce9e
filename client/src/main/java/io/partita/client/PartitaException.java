package io.partita.client;

import io.partita.protocol.ResultCode;

/**
 * A Partita call failed. {@link #resultCode()} says why; {@link #inDoubt()} says whether a write may nevertheless
 * have been applied (then read the record to find out before retrying a non-idempotent write).
 *
 * <p>In doubt are: {@link ResultCode#IN_DOUBT} (the node answered it, or contact was lost after the write was
 * sent), a TIMEOUT with a write in flight, and any failure of a compare-and-set write that was re-sent after such an
 * ambiguous attempt. The last case keeps the retry's code, typically {@link ResultCode#GENERATION_ERROR} (or
 * {@link ResultCode#KEY_NOT_FOUND} for a delete), and its message says the first attempt may have been the one that
 * applied: the generation no longer matching may be the write's own doing.
 */
public class PartitaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ResultCode resultCode;
    private final boolean inDoubt;

    /**
     * An exception.
     *
     * @param resultCode why the call failed
     * @param message    what happened and what to do about it
     * @param inDoubt    whether a write may or may not have been applied
     * @param cause      the underlying failure, or {@code null}
     */
    public PartitaException(ResultCode resultCode, String message, boolean inDoubt, Throwable cause) {
        super(message, cause);
        this.resultCode = resultCode;
        this.inDoubt = inDoubt;
    }

    /** An exception that is not in doubt and has no cause. */
    public PartitaException(ResultCode resultCode, String message) {
        this(resultCode, message, false, null);
    }

    /** Why the call failed. */
    public ResultCode resultCode() {
        return resultCode;
    }

    /**
     * Whether the call was a write that may or may not have been applied. False for reads, and for writes whose
     * every attempt was refused before anything was applied (NOT_LEADER, KEY_EXISTS, an unreachable node, ...).
     */
    public boolean inDoubt() {
        return inDoubt;
    }
}
