package io.partita.client;

import io.partita.protocol.Limits;
import java.util.Objects;

/**
 * One record to import, as a backup holds it (the fields of an ExportGroup {@code ExportedRecord}).
 *
 * @param namespace the record's namespace
 * @param set       the record's set ({@code ""} for none), as the export reported it
 * @param digest    the 20-byte key digest
 * @param record    the opaque stored encoding from the export, passed on unchanged; the node validates it
 */
public record ImportRecord(String namespace, String set, byte[] digest, byte[] record) {
    /**
     * @throws IllegalArgumentException if a field is null or the digest is not 20 bytes
     */
    public ImportRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(record, "record");
        if (digest.length != Limits.DIGEST_BYTES) {
            throw new IllegalArgumentException("digest must be " + Limits.DIGEST_BYTES + " bytes, got "
                    + digest.length);
        }
    }
}
