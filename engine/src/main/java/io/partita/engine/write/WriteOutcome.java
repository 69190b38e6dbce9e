package io.partita.engine.write;

import io.partita.protocol.ResultCode;
import java.util.List;

/**
 * The result of applying one {@link WriteOp}.
 *
 * @param code       OK or the reason the write did not apply
 * @param generation the record's generation after the write (0 when it was deleted or never existed)
 * @param existed    whether a live record was there before the write
 * @param operated   what an operate call answered (null for other writes)
 */
public record WriteOutcome(ResultCode code, int generation, boolean existed, Operated operated) {

    /** The outcome of a put, delete, touch or restore. */
    public WriteOutcome(ResultCode code, int generation, boolean existed) {
        this(code, generation, existed, null);
    }

    /**
     * What an operate call answered beyond its code.
     *
     * @param results    one per operation, in order, when the call succeeded (else empty)
     * @param voidTimeMs the record's expiry after the call, ms since epoch, 0 = never
     * @param error      why the call failed, for the caller ({@code ""} when it succeeded)
     */
    public record Operated(List<Object> results, long voidTimeMs, String error) {
    }

    public static WriteOutcome failed(ResultCode code, boolean existed) {
        return new WriteOutcome(code, 0, existed);
    }
}
