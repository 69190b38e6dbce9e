package io.partita.client;

import io.partita.protocol.Limits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Which partitions a scan reads, and how far it got in each (Aerospike's {@code PartitionFilter}). The filter is the
 * scan's cursor: {@link PartitaClient#scanPartitions} updates it as records arrive (the last digest received from
 * each partition, and which partitions are finished), so a scan interrupted by a failure, by
 * {@link ScanPolicy#maxRecords()} or by the caller resumes where it stopped when the same filter is passed again:
 * finished partitions are not read again, and an unfinished one continues after its last record, without duplicates
 * or gaps.
 *
 * <pre>{@code
 * PartitionFilter all = PartitionFilter.all();
 * while (!all.isDone()) {
 *     client.scanPartitions(ScanPolicy.DEFAULT.withMaxRecords(10_000), all, "test", "users",
 *         (ns, set, digest, r) -> handle(r));
 * }
 * }</pre>
 *
 * Not thread-safe: one scan at a time uses a filter.
 */
public final class PartitionFilter {
    private final List<PartitionStatus> partitions;

    private PartitionFilter(int begin, int count) {
        if (begin < 0 || count < 1 || begin + count > Limits.PARTITION_COUNT) {
            throw new IllegalArgumentException("partitions [" + begin + ", " + (begin + count) + ") are not within 0.."
                    + Limits.PARTITION_COUNT);
        }
        List<PartitionStatus> list = new ArrayList<>(count);
        for (int p = begin; p < begin + count; p++) {
            list.add(new PartitionStatus(p));
        }
        this.partitions = Collections.unmodifiableList(list);
    }

    /** Every partition of the namespace (or set). */
    public static PartitionFilter all() {
        return new PartitionFilter(0, Limits.PARTITION_COUNT);
    }

    /** One partition. */
    public static PartitionFilter id(int partition) {
        return new PartitionFilter(partition, 1);
    }

    /** {@code count} partitions from {@code begin}. */
    public static PartitionFilter range(int begin, int count) {
        return new PartitionFilter(begin, count);
    }

    /** Whether every partition of the filter has been read to its end. */
    public boolean isDone() {
        for (PartitionStatus p : partitions) {
            if (!p.done) {
                return false;
            }
        }
        return true;
    }

    /** The partitions and how far each got, in partition order (for saving a cursor). */
    public List<PartitionStatus> partitions() {
        return partitions;
    }

    PartitionStatus status(int partition) {
        int index = partition - partitions.get(0).id;
        return index >= 0 && index < partitions.size() ? partitions.get(index) : null;
    }

    /** One partition of a filter: where a scan of it got to. */
    public static final class PartitionStatus {
        private final int id;
        private byte[] lastDigest;
        private boolean done;

        PartitionStatus(int id) {
            this.id = id;
        }

        /** The partition id. */
        public int id() {
            return id;
        }

        /** The digest of the last record delivered from this partition, or null if none yet. */
        public byte[] lastDigest() {
            return lastDigest == null ? null : lastDigest.clone();
        }

        /** Whether every record of this partition has been delivered. */
        public boolean done() {
            return done;
        }

        void delivered(byte[] digest) {
            lastDigest = digest;
        }

        void finished() {
            done = true;
        }

        /** Restores a saved cursor (from {@link #lastDigest()} and {@link #done()} of an earlier run). */
        public void restore(byte[] digest, boolean finished) {
            if (digest != null && digest.length != Limits.DIGEST_BYTES) {
                throw new IllegalArgumentException("a digest has " + Limits.DIGEST_BYTES + " bytes, got "
                        + digest.length);
            }
            this.lastDigest = digest == null ? null : digest.clone();
            this.done = finished;
        }

        @Override
        public String toString() {
            return id + (done ? " done" : lastDigest == null ? " not started" : " after " + Arrays.toString(lastDigest));
        }
    }
}
