package io.partita.client;

/**
 * How {@link PartitaClient#scanPartitions} runs.
 *
 * @param maxRecords       stop after delivering this many records (0 = no limit); the filter then resumes there
 * @param recordsPerSecond deliver at most this many records per second (0 = as fast as they come); the nodes are
 *                         slowed by back-pressure, never buffering more than a window per stream
 * @param timeoutMs        how long a group may keep failing (node lost, election) before the scan gives up; each
 *                         retry resumes from the filter's cursors
 */
public record ScanPolicy(long maxRecords, int recordsPerSecond, long timeoutMs) {
    /** No limits; 30 s to ride through a failover per group. */
    public static final ScanPolicy DEFAULT = new ScanPolicy(0, 0, 30_000);

    /** @throws IllegalArgumentException for a negative limit or a timeout below 1 ms */
    public ScanPolicy {
        if (maxRecords < 0 || recordsPerSecond < 0 || timeoutMs < 1) {
            throw new IllegalArgumentException("maxRecords and recordsPerSecond must be >= 0 and timeoutMs >= 1");
        }
    }

    /** The same policy with another record limit. */
    public ScanPolicy withMaxRecords(long max) {
        return new ScanPolicy(max, recordsPerSecond, timeoutMs);
    }

    /** The same policy with another rate limit. */
    public ScanPolicy withRecordsPerSecond(int rate) {
        return new ScanPolicy(maxRecords, rate, timeoutMs);
    }
}
