package io.partita.client;

import io.partita.protocol.ResultCode;
import java.util.List;

/**
 * The outcome of a batch call, one {@link BatchRecord} per key in the caller's order.
 *
 * @param records one per key, in the order the keys were given
 */
public record BatchResults(List<BatchRecord> records) {
    public BatchResults {
        records = List.copyOf(records);
    }

    /** Whether every key answered OK or KEY_NOT_FOUND: nothing failed. */
    public boolean allAnswered() {
        for (BatchRecord r : records) {
            if (r.resultCode() != ResultCode.OK && r.resultCode() != ResultCode.KEY_NOT_FOUND) {
                return false;
            }
        }
        return true;
    }

    /** The first key that failed (a code other than OK and KEY_NOT_FOUND), or null. */
    BatchRecord firstFailure() {
        for (BatchRecord r : records) {
            if (r.resultCode() != ResultCode.OK && r.resultCode() != ResultCode.KEY_NOT_FOUND) {
                return r;
            }
        }
        return null;
    }
}
