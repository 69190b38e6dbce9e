package io.partita.engine.storage;

/**
 * One record as a {@link GroupScan} returns it.
 *
 * @param namespace namespace name
 * @param set       set name from the record ({@code ""} for none or for records last written in format version 1)
 * @param digest    20-byte key digest
 * @param encoded   the stored {@link io.partita.engine.record.RecordCodec} encoding, not decoded
 */
public record ScannedRecord(String namespace, String set, byte[] digest, byte[] encoded) {
}
