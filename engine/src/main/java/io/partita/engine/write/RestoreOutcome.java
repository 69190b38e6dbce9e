package io.partita.engine.write;

import io.partita.protocol.ResultCode;

/**
 * What a {@link WriteKind#RESTORE} write did. Travels through the log's reply as the {@link WriteOutcome} code, one
 * code per outcome, so restores need no reply format of their own.
 */
public enum RestoreOutcome {
    /** The record was stored. */
    WRITTEN(ResultCode.OK),
    /** A live record exists and the policy is CREATE_ONLY. */
    SKIPPED_EXISTS(ResultCode.KEY_EXISTS),
    /** A live record with the same or a higher generation exists and the policy is GENERATION. */
    SKIPPED_GENERATION(ResultCode.GENERATION_ERROR),
    /** The record's void time had passed when the log entry was applied: nothing stored. */
    EXPIRED(ResultCode.KEY_NOT_FOUND);

    private final ResultCode code;

    RestoreOutcome(ResultCode code) {
        this.code = code;
    }

    /** The code a restore write's outcome carries. */
    public ResultCode code() {
        return code;
    }

    /**
     * The restore outcome a code stands for.
     *
     * @throws IllegalArgumentException for codes a restore never produces (e.g. NOT_LEADER, IN_DOUBT): the caller
     *                                  handles those as failures of the write itself
     */
    public static RestoreOutcome of(ResultCode code) {
        for (RestoreOutcome o : values()) {
            if (o.code == code) {
                return o;
            }
        }
        throw new IllegalArgumentException("result code " + code + " is not a restore outcome");
    }
}
