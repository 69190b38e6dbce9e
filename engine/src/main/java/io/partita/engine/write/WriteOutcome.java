package io.partita.engine.write;

import io.partita.protocol.ResultCode;

/**
 * The result of applying one {@link WriteOp}.
 *
 * @param code       OK or the reason the write did not apply
 * @param generation the record's generation after the write (0 when it was deleted or never existed)
 * @param existed    whether a live record was there before the write
 */
public record WriteOutcome(ResultCode code, int generation, boolean existed) {
    public static WriteOutcome failed(ResultCode code, boolean existed) {
        return new WriteOutcome(code, 0, existed);
    }
}
