package io.partita.engine.write;

import io.partita.engine.operate.OperateException;
import io.partita.engine.operate.Operator;
import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import io.partita.protocol.ResultCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aerospike's write semantics as a pure function: given the live record (or none) and a {@link WriteOp}, decide the
 * outcome and the record to store. No I/O, so every policy and result code is unit-testable and every replica,
 * fed the same inputs, decides the same.
 */
public final class RecordMutator {

    /** What to do with the stored record: leave it, store {@code record}, or delete it. */
    public enum Change { NONE, STORE, DELETE }

    /**
     * A decided mutation.
     *
     * @param outcome what the client is told
     * @param change  what happens to storage
     * @param record  the record to store when change is STORE, else null
     * @param encoded the record's encoding when change is STORE (computed once for the size check and the write)
     */
    public record Mutation(WriteOutcome outcome, Change change, StoredRecord record, byte[] encoded) {
        static Mutation rejected(ResultCode code, boolean existed) {
            return new Mutation(WriteOutcome.failed(code, existed), Change.NONE, null, null);
        }
    }

    private RecordMutator() {
    }

    /**
     * Decides one write.
     *
     * @param live  the record as it is now, or null when absent or expired at {@code nowMs}; for
     *              {@link WriteKind#EXPIRE}, the record as stored, expired or not
     * @param op    the write
     * @param nowMs the leader's timestamp for this log entry
     */
    public static Mutation mutate(StoredRecord live, WriteOp op, long nowMs) {
        boolean exists = live != null;
        // An expected generation is a claim about the current record: a missing record has generation 0, so any
        // non-zero expectation fails rather than silently creating the record (unlike Aerospike, which creates it).
        if (op.expectedGeneration() != 0 && (!exists || live.generation() != op.expectedGeneration())) {
            return Mutation.rejected(exists ? ResultCode.GENERATION_ERROR : ResultCode.KEY_NOT_FOUND, exists);
        }
        switch (op.kind()) {
            case DELETE:
                if (!exists) {
                    return Mutation.rejected(ResultCode.KEY_NOT_FOUND, false);
                }
                return new Mutation(new WriteOutcome(ResultCode.OK, 0, true), Change.DELETE, null, null);
            case TOUCH:
                if (!exists) {
                    return Mutation.rejected(ResultCode.KEY_NOT_FOUND, false);
                }
                return store(live, live.bins(), op, nowMs);
            case PUT:
                return put(live, op, nowMs);
            case RESTORE:
                return restore(live, op.restore(), nowMs);
            case OPERATE:
                return operate(live, op, nowMs);
            case EXPIRE:
                // The generation matched above; the void time too, and expired now: the record the scan saw, still
                // dead. Anything else is a rewrite since (GENERATION_ERROR: left alone).
                if (live.voidTimeMs() != op.voidTimeMs() || !live.isExpired(nowMs)) {
                    return Mutation.rejected(ResultCode.GENERATION_ERROR, true);
                }
                return new Mutation(new WriteOutcome(ResultCode.OK, 0, true), Change.DELETE, null, null);
            default:
                // TRUNCATE spans many records: GroupStore applies it.
                throw new IllegalArgumentException("not a single-record write: " + op.kind());
        }
    }

    /** The refusal a write's exists action makes (create-only on a record, update-only on none), or null. */
    private static Mutation refusedByExistsAction(boolean exists, ExistsAction action) {
        if (action == ExistsAction.CREATE_ONLY && exists) {
            return Mutation.rejected(ResultCode.KEY_EXISTS, true);
        }
        if (action == ExistsAction.UPDATE_ONLY && !exists) {
            return Mutation.rejected(ResultCode.KEY_NOT_FOUND, false);
        }
        return null;
    }

    private static Mutation put(StoredRecord live, WriteOp op, long nowMs) {
        boolean exists = live != null;
        Mutation refused = refusedByExistsAction(exists, op.existsAction());
        if (refused != null) {
            return refused;
        }
        Map<String, Object> bins = new LinkedHashMap<>();
        if (exists && op.existsAction() != ExistsAction.REPLACE) {
            bins.putAll(live.bins());
        }
        for (Map.Entry<String, Object> bin : op.bins().entrySet()) {
            if (bin.getValue() == null) {
                bins.remove(bin.getKey());
            } else {
                bins.put(bin.getKey(), bin.getValue());
            }
        }
        if (bins.isEmpty()) {
            if (!exists) {
                return Mutation.rejected(ResultCode.PARAMETER_ERROR, false);
            }
            // Removing the last bin removes the record, as in Aerospike.
            return new Mutation(new WriteOutcome(ResultCode.OK, 0, true), Change.DELETE, null, null);
        }
        return store(live, bins, op, nowMs);
    }

    /**
     * An operate call: the operations run in order over the record's bins ({@link Operator}); if any of them writes,
     * the bins after the last one are stored (or the record deleted when none remain) under the call's policy, with
     * one generation increment for the whole call. A call of reads only changes nothing and needs the record.
     */
    private static Mutation operate(StoredRecord live, WriteOp op, long nowMs) {
        boolean exists = live != null;
        boolean writes = Operator.writes(op.operations());
        Mutation refused = writes ? refusedByExistsAction(exists, op.existsAction()) : null;
        if (refused != null) {
            return refused;
        }
        // REPLACE: the call's writes start from a record without bins, as a replacing put does.
        boolean startEmpty = !exists || (writes && op.existsAction() == ExistsAction.REPLACE);
        Operator.Evaluation evaluation;
        try {
            evaluation = Operator.evaluate(startEmpty ? Map.of() : live.bins(), exists, op.operations());
        } catch (OperateException e) {
            return new Mutation(new WriteOutcome(e.code(), exists ? live.generation() : 0, exists,
                    new WriteOutcome.Operated(List.of(), 0, e.getMessage())), Change.NONE, null, null);
        }
        // Reads need a record; run over none first anyway, so a malformed call is told so rather than "not found".
        if (!writes && !exists) {
            return Mutation.rejected(ResultCode.KEY_NOT_FOUND, false);
        }
        if (!writes) {
            return new Mutation(operated(new WriteOutcome(ResultCode.OK, live.generation(), true), evaluation,
                    live.voidTimeMs()), Change.NONE, null, null);
        }
        if (evaluation.bins().isEmpty()) {
            // Every bin removed (or a DELETE last): the record goes, as a put that removes the last bin does.
            return new Mutation(operated(new WriteOutcome(ResultCode.OK, 0, exists), evaluation, 0),
                    exists ? Change.DELETE : Change.NONE, null, null);
        }
        Mutation stored = store(live, evaluation.bins(), op, nowMs);
        if (stored.change() != Change.STORE) {
            return stored;
        }
        return new Mutation(operated(stored.outcome(), evaluation, stored.record().voidTimeMs()), Change.STORE,
                stored.record(), stored.encoded());
    }

    private static WriteOutcome operated(WriteOutcome outcome, Operator.Evaluation evaluation, long voidTimeMs) {
        return new WriteOutcome(outcome.code(), outcome.generation(), outcome.existed(),
                new WriteOutcome.Operated(evaluation.results(), voidTimeMs, ""));
    }

    /**
     * Stores a backed-up record exactly (generation, expiry, last update, set, bins), unless it has expired by
     * {@code nowMs} or the policy says the live record wins. Never decided by anything but the log entry's inputs.
     */
    private static Mutation restore(StoredRecord live, WriteOp.Restore restore, long nowMs) {
        boolean exists = live != null;
        StoredRecord record = restore.record();
        RestoreOutcome outcome;
        if (record.isExpired(nowMs)) {
            outcome = RestoreOutcome.EXPIRED;
        } else if (exists && restore.policy() == RestorePolicy.CREATE_ONLY) {
            outcome = RestoreOutcome.SKIPPED_EXISTS;
        } else if (exists && restore.policy() == RestorePolicy.GENERATION
                && Integer.compareUnsigned(record.generation(), live.generation()) <= 0) {
            outcome = RestoreOutcome.SKIPPED_GENERATION;
        } else {
            return new Mutation(new WriteOutcome(ResultCode.OK, record.generation(), exists), Change.STORE, record,
                    restore.encoded());
        }
        return new Mutation(new WriteOutcome(outcome.code(), exists ? live.generation() : 0, exists), Change.NONE,
                null, null);
    }

    private static Mutation store(StoredRecord live, Map<String, Object> bins, WriteOp op, long nowMs) {
        boolean exists = live != null;
        int generation = exists ? live.generation() + 1 : 1;
        long voidTime = op.keepVoidTime() && exists ? live.voidTimeMs() : op.voidTimeMs();
        StoredRecord record = new StoredRecord(storedSet(live, op), generation, voidTime, nowMs, bins);
        byte[] encoded = RecordCodec.encode(record);
        if (encoded.length > op.maxRecordSize()) {
            return Mutation.rejected(ResultCode.RECORD_TOO_BIG, exists);
        }
        return new Mutation(new WriteOutcome(ResultCode.OK, generation, exists), Change.STORE, record, encoded);
    }

    /**
     * The set a write stores: the key's set on create and replace; on update the record keeps its own. A record
     * last written in format version 1 has no stored set and takes the key's: the digest is computed from the set,
     * so a key with this digest names the record's true set.
     */
    private static String storedSet(StoredRecord live, WriteOp op) {
        boolean replaces = (op.kind() == WriteKind.PUT || op.kind() == WriteKind.OPERATE)
                && op.existsAction() == ExistsAction.REPLACE;
        if (live == null || replaces || live.set().isEmpty()) {
            return op.set();
        }
        return live.set();
    }
}
