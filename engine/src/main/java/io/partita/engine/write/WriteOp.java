package io.partita.engine.write;

import java.util.Map;

/**
 * One record mutation as the state machine applies it. Every value that must be identical on all replicas (expiry,
 * size limit) is decided by the leader and carried here, never read from a replica's own config or clock.
 *
 * @param kind               put, delete or touch
 * @param namespace          namespace name
 * @param digest             20-byte key digest
 * @param existsAction       put policy (ignored for delete and touch)
 * @param expectedGeneration 0 = no check; otherwise the write applies only if the record has this generation
 * @param voidTimeMs         expiry to set, ms since epoch, 0 = never
 * @param keepVoidTime       keep an existing record's expiry (voidTimeMs then only applies to a new record)
 * @param bins               bins to write; a null value removes that bin (put only)
 * @param maxRecordSize      largest encoded record the namespace accepts, in bytes
 */
public record WriteOp(
        WriteKind kind,
        String namespace,
        byte[] digest,
        ExistsAction existsAction,
        int expectedGeneration,
        long voidTimeMs,
        boolean keepVoidTime,
        Map<String, Object> bins,
        long maxRecordSize) {
}
