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
        return records.stream().noneMatch(BatchResults::failed);
    }

    /** The keys that failed (a code other than OK and KEY_NOT_FOUND), in order. */
    List<BatchRecord> failures() {
        return records.stream().filter(BatchResults::failed).toList();
    }

    private static boolean failed(BatchRecord r) {
        return r.resultCode() != ResultCode.OK && r.resultCode() != ResultCode.KEY_NOT_FOUND;
    }
}
