package io.partita.engine.storage;

import java.util.List;

/**
 * What one step of an expiry scan found ({@link GroupStore#findExpired}).
 *
 * @param expired records expired at the scan's time, in key order
 * @param next    where the next step starts (a record key), or null when this step reached the end of the family
 */
public record ExpiredRecords(List<Expired> expired, byte[] next) {

    /**
     * One expired record, as the scan saw it: an expiry write removes it only if it is still this record.
     *
     * @param namespace  the record's namespace
     * @param digest     its key digest
     * @param generation its generation
     * @param voidTimeMs its expiry, ms since the Unix epoch
     */
    public record Expired(String namespace, byte[] digest, int generation, long voidTimeMs) {
    }
}
