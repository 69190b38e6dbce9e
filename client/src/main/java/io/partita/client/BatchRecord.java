package io.partita.client;

import io.partita.protocol.ResultCode;
import java.util.Objects;

/**
 * One key's outcome in a batch call: its result code, and what it answered. A key that does not exist is
 * {@link ResultCode#KEY_NOT_FOUND} here, never a failure of the batch.
 */
public final class BatchRecord {
    private final Key key;
    private final ResultCode resultCode;
    private final Record record;
    private final OperateResult operateResult;
    private final boolean inDoubt;
    private final String message;

    BatchRecord(Key key, ResultCode resultCode, Record record, OperateResult operateResult, boolean inDoubt,
                String message) {
        this.key = Objects.requireNonNull(key, "key");
        this.resultCode = Objects.requireNonNull(resultCode, "resultCode");
        this.record = record;
        this.operateResult = operateResult;
        this.inDoubt = inDoubt;
        this.message = message == null ? "" : message;
    }

    static BatchRecord ok(Key key, Record record, OperateResult operateResult) {
        return new BatchRecord(key, ResultCode.OK, record, operateResult, false, "");
    }

    static BatchRecord notFound(Key key) {
        return new BatchRecord(key, ResultCode.KEY_NOT_FOUND, null, null, false, "record not found");
    }

    static BatchRecord failed(Key key, PartitaException e) {
        return new BatchRecord(key, e.resultCode(), null, null, e.inDoubt(), e.getMessage());
    }

    /** The key, as given. */
    public Key key() {
        return key;
    }

    /** OK, KEY_NOT_FOUND, or why this key failed. */
    public ResultCode resultCode() {
        return resultCode;
    }

    /** The record read (batch get or header), null when it does not exist or the key failed. */
    public Record record() {
        return record;
    }

    /** The operate answer (batch operate), null when the key failed. */
    public OperateResult operateResult() {
        return operateResult;
    }

    /** Whether this key's write may or may not have been applied (see {@link PartitaException#inDoubt()}). */
    public boolean inDoubt() {
        return inDoubt;
    }

    /** Why the key failed, for people; {@code ""} when it did not. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return key + ": " + resultCode + (inDoubt ? " (in doubt)" : "") + (message.isEmpty() ? "" : " " + message);
    }
}
