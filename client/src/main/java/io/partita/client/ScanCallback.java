package io.partita.client;

/**
 * Receives the records of a scan, one at a time, on the scanning thread (Aerospike's {@code ScanCallback}). The scan
 * reads the next records only as the callback returns (back-pressure). An exception thrown here stops the scan and
 * is rethrown by {@link PartitaClient#scanPartitions}; the record it was given counts as delivered.
 */
@FunctionalInterface
public interface ScanCallback {
    /**
     * @param namespace the namespace scanned
     * @param set       the record's set ({@code ""} for none)
     * @param digest    the record's key digest (scans do not return user keys)
     * @param record    the record, with the bins asked for
     */
    void record(String namespace, String set, byte[] digest, Record record);
}
