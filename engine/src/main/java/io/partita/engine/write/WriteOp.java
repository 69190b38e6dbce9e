package io.partita.engine.write;

import io.partita.engine.operate.Operation;
import io.partita.engine.record.StoredRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record mutation as the state machine applies it. Every value that must be identical on all replicas (expiry,
 * size limit) is decided by the leader and carried here, never read from a replica's own config or clock.
 *
 * @param kind               put, delete, touch, restore or operate
 * @param namespace          namespace name
 * @param set                set name of the key ({@code ""} = none); stored with the record
 * @param digest             20-byte key digest
 * @param existsAction       put policy (ignored for delete, touch and restore)
 * @param expectedGeneration 0 = no check; otherwise the write applies only if the record has this generation
 * @param voidTimeMs         expiry to set, ms since epoch, 0 = never
 * @param keepVoidTime       keep an existing record's expiry (voidTimeMs then only applies to a new record)
 * @param bins               bins to write; a null value removes that bin (put only)
 * @param maxRecordSize      largest encoded record the namespace accepts, in bytes
 * @param restore            the record to store and its policy (restore only, else null)
 * @param operations         the operations of an operate call, in order (operate only, else empty)
 * @param truncate           what to truncate (truncate only, else null)
 */
public record WriteOp(
        WriteKind kind,
        String namespace,
        String set,
        byte[] digest,
        ExistsAction existsAction,
        int expectedGeneration,
        long voidTimeMs,
        boolean keepVoidTime,
        Map<String, Object> bins,
        long maxRecordSize,
        Restore restore,
        List<Operation> operations,
        Truncate truncate) {

    /**
     * A record from a backup to store exactly.
     *
     * @param record  the record, its set included
     * @param encoded its {@link io.partita.engine.record.RecordCodec} encoding, stored as is
     * @param policy  when to store it over a live record
     */
    public record Restore(StoredRecord record, byte[] encoded, RestorePolicy policy) {
        public Restore {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(encoded, "encoded");
            Objects.requireNonNull(policy, "policy");
        }
    }

    /**
     * Which records a truncate removes: those of the op's namespace in partitions [{@code fromPartition},
     * {@code toPartition}), of {@code set} unless it is {@code ""}, last updated before {@code beforeMs}.
     *
     * @param set           only this set; {@code ""} = every set of the namespace
     * @param beforeMs      records last updated strictly before this time (ms since epoch) are removed
     * @param fromPartition first partition of the range
     * @param toPartition   end of the range (exclusive), at most {@link io.partita.protocol.Limits#PARTITION_COUNT}
     */
    public record Truncate(String set, long beforeMs, int fromPartition, int toPartition) {
        public Truncate {
            Objects.requireNonNull(set, "set");
            if (fromPartition < 0 || toPartition > io.partita.protocol.Limits.PARTITION_COUNT
                    || fromPartition >= toPartition) {
                throw new IllegalArgumentException("partition range [" + fromPartition + ", " + toPartition
                        + ") is not within 0.." + io.partita.protocol.Limits.PARTITION_COUNT);
            }
        }
    }

    public WriteOp {
        Objects.requireNonNull(set, "set");
        if ((kind == WriteKind.RESTORE) != (restore != null)) {
            throw new IllegalArgumentException("a restore write needs a record to restore, and only it has one");
        }
        Objects.requireNonNull(operations, "operations");
        if ((kind == WriteKind.OPERATE) != !operations.isEmpty()) {
            throw new IllegalArgumentException("an operate write needs operations, and only it has them");
        }
        if ((kind == WriteKind.TRUNCATE) != (truncate != null)) {
            throw new IllegalArgumentException("a truncate needs its range, and only it has one");
        }
    }

    /** A put, delete or touch. */
    public static WriteOp write(WriteKind kind, String namespace, String set, byte[] digest, ExistsAction existsAction,
                                int expectedGeneration, long voidTimeMs, boolean keepVoidTime,
                                Map<String, Object> bins, long maxRecordSize) {
        return new WriteOp(kind, namespace, set, digest, existsAction, expectedGeneration, voidTimeMs, keepVoidTime,
                bins, maxRecordSize, null, List.of(), null);
    }

    /**
     * An operate call: {@code operations} in order, under one policy (exists action, expected generation, expiry).
     */
    public static WriteOp operate(String namespace, String set, byte[] digest, ExistsAction existsAction,
                                  int expectedGeneration, long voidTimeMs, boolean keepVoidTime,
                                  List<Operation> operations, long maxRecordSize) {
        return new WriteOp(WriteKind.OPERATE, namespace, set, digest, existsAction, expectedGeneration, voidTimeMs,
                keepVoidTime, Map.of(), maxRecordSize, null, List.copyOf(operations), null);
    }

    /**
     * The removal of an expired record, as its group leader's expiry scan saw it (see {@link WriteKind#EXPIRE}).
     *
     * @param generation the generation the scan saw
     * @param voidTimeMs the expiry the scan saw
     */
    public static WriteOp expire(String namespace, byte[] digest, int generation, long voidTimeMs) {
        return new WriteOp(WriteKind.EXPIRE, namespace, "", digest, ExistsAction.CREATE_OR_UPDATE, generation,
                voidTimeMs, false, Map.of(), 0, null, List.of(), null);
    }

    /** A truncate of {@code namespace} in one partition range (see {@link Truncate}). */
    public static WriteOp truncate(String namespace, Truncate truncate) {
        return new WriteOp(WriteKind.TRUNCATE, namespace, truncate.set(), new byte[0], ExistsAction.CREATE_OR_UPDATE,
                0, 0, false, Map.of(), 0, null, List.of(), truncate);
    }

    /** A restore of {@code restore.record()} under the key (namespace, digest); its set comes from the record. */
    public static WriteOp restore(String namespace, byte[] digest, Restore restore) {
        return new WriteOp(WriteKind.RESTORE, namespace, restore.record().set(), digest, ExistsAction.REPLACE, 0,
                restore.record().voidTimeMs(), false, Map.of(), restore.encoded().length, restore, List.of(), null);
    }
}
