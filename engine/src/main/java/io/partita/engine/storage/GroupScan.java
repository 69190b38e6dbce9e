package io.partita.engine.storage;

import io.partita.engine.record.RecordCodec;
import io.partita.protocol.Limits;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * A read of a whole group's records from one RocksDB snapshot, together with the applied (term, index) read from
 * the same snapshot: the records are exactly the group's state after log entry {@link #position()}, whatever is
 * applied meanwhile. Records expired at the scan's time and records outside the filter are skipped.
 *
 * <p>Holds a RocksDB snapshot and iterator (which pin old data files) until {@link #close()}d: close it as soon as
 * the reader is done or gone. Methods are synchronized so a reader thread and a cancelling thread can share it;
 * after close, {@link #hasNext()} is false.
 */
public final class GroupScan implements Iterator<ScannedRecord>, AutoCloseable {
    private static final int KEY_PREFIX_BYTES = 2 + Limits.DIGEST_BYTES;

    private final RocksDB db;
    private final Snapshot snapshot;
    private final ReadOptions readOptions;
    private final RocksIterator iterator;
    private final AppliedPosition position;
    private final boolean replacing;
    private final long estimatedRecords;
    private final long nowMs;
    private final String namespace;
    private final String set;
    private final Consumer<GroupScan> onClose;
    /** The partition ranges to read, in key order; null = the whole family. */
    private final List<PartitionRange> ranges;
    private int range;
    private ScannedRecord next;
    private boolean closed;

    /**
     * One partition of a scan, read from its start or resumed after a record.
     *
     * @param partition   the partition
     * @param afterDigest read only the records whose digest sorts after this one (the last a reader saw), or null
     *                    for the whole partition
     */
    public record PartitionRange(int partition, byte[] afterDigest) {
        public PartitionRange {
            if (partition < 0 || partition >= Limits.PARTITION_COUNT) {
                throw new IllegalArgumentException("partition " + partition + " is not in 0.."
                        + (Limits.PARTITION_COUNT - 1));
            }
            if (afterDigest != null && afterDigest.length != Limits.DIGEST_BYTES) {
                throw new IllegalArgumentException("a resume digest has " + Limits.DIGEST_BYTES + " bytes, got "
                        + afterDigest.length);
            }
        }

        byte[] start() {
            byte[] start = RecordKeys.partitionStart(partition);
            return afterDigest == null ? start : concat(start, afterDigest);
        }
    }

    GroupScan(RocksDB db, ColumnFamilyHandle family, long nowMs, String namespace, String set,
              Consumer<GroupScan> onClose) throws RocksDBException {
        this(db, family, nowMs, namespace, set, null, onClose);
    }

    GroupScan(RocksDB db, ColumnFamilyHandle family, long nowMs, String namespace, String set,
              List<PartitionRange> ranges, Consumer<GroupScan> onClose) throws RocksDBException {
        this.ranges = ranges == null ? null : ranges.stream()
                .sorted(java.util.Comparator.comparingInt(PartitionRange::partition)).toList();
        this.db = db;
        this.nowMs = nowMs;
        this.namespace = namespace;
        this.set = set;
        this.onClose = onClose;
        this.snapshot = db.getSnapshot();
        this.readOptions = new ReadOptions().setSnapshot(snapshot).setFillCache(false);
        try {
            this.position = AppliedPosition.decode(db.get(family, readOptions, RecordKeys.APPLIED_POSITION));
            this.replacing = db.get(family, readOptions, RecordKeys.REPLACING) != null;
            this.estimatedRecords = db.getLongProperty(family, "rocksdb.estimate-num-keys");
            this.iterator = db.newIterator(family, readOptions);
        } catch (RocksDBException | RuntimeException e) {
            readOptions.close();
            db.releaseSnapshot(snapshot);
            throw e;
        }
        if (this.ranges == null) {
            iterator.seekToFirst();
        } else if (!this.ranges.isEmpty()) {
            iterator.seek(this.ranges.get(0).start());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * With partition ranges: how many of them (in partition order) the scan has finished, every record of them
     * returned; all of them once {@link #hasNext()} is false. Without ranges: 0.
     */
    public synchronized int rangesDone() {
        return ranges == null ? 0 : range;
    }

    /** The (term, index) of the last log entry whose effects the scan sees. */
    public AppliedPosition position() {
        return position;
    }

    /**
     * Whether, in the scan's snapshot, the family was being replaced by a snapshot install ({@link GroupStore#clear}
     * without a completed {@link GroupStore#ingest}): the scan then sees an empty or partial group, not the group's
     * state at {@link #position()}, and must not be exported.
     */
    public boolean replacing() {
        return replacing;
    }

    /** RocksDB's estimate of the group's key count (expired and filtered records included), for progress. */
    public long estimatedRecords() {
        return estimatedRecords;
    }

    @Override
    public synchronized boolean hasNext() {
        while (next == null && !closed && iterator.isValid()) {
            byte[] key = iterator.key();
            if (RecordKeys.isMetaKey(key)) {
                break; // meta keys sort after every record key
            }
            if (ranges != null) {
                if (ranges.isEmpty()) {
                    break;
                }
                if (!inRange(key)) {
                    continue; // moved on to the next range (or past the last)
                }
                if (afterResumePoint(key)) {
                    next = accept(key, iterator.value());
                }
            } else {
                next = accept(key, iterator.value());
            }
            iterator.next();
        }
        if (next == null && !closed) {
            checkIterator();
            if (ranges != null) {
                range = ranges.size();
            }
        }
        return next != null;
    }

    /**
     * Whether {@code key} lies in the current range; if it lies beyond, moves to the next range (seeking there) and
     * returns false so the caller looks at the iterator again. Ranges are one partition each, in order.
     */
    private boolean inRange(byte[] key) {
        int partition = RecordKeys.partitionOf(key);
        int wanted = ranges.get(range).partition();
        if (partition == wanted) {
            return true;
        }
        if (partition < wanted) {
            iterator.seek(ranges.get(range).start());
            return false;
        }
        range++;
        if (range == ranges.size()) {
            iterator.seekToLast();
            iterator.next(); // past the end: the scan is over
        } else {
            iterator.seek(ranges.get(range).start());
        }
        return false;
    }

    /** Whether a key of the current range comes after its resume digest (every key does without one). */
    private boolean afterResumePoint(byte[] key) {
        byte[] after = ranges.get(range).afterDigest();
        return after == null || Arrays.compareUnsigned(key, 2, KEY_PREFIX_BYTES, after, 0, after.length) > 0;
    }

    @Override
    public synchronized ScannedRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed ? "the scan is closed" : "no more records");
        }
        ScannedRecord r = next;
        next = null;
        return r;
    }

    /** The record if it is live and passes the filter, else null. */
    private ScannedRecord accept(byte[] key, byte[] value) {
        String ns = RecordKeys.namespaceOf(key);
        if (!namespace.isEmpty() && !namespace.equals(ns)) {
            return null;
        }
        long voidTime = RecordCodec.voidTimeMs(value);
        if (voidTime != 0 && voidTime <= nowMs) {
            return null;
        }
        String recordSet = RecordCodec.set(value);
        if (!set.isEmpty() && !set.equals(recordSet)) {
            return null;
        }
        return new ScannedRecord(ns, recordSet, RecordKeys.digestOf(key), value);
    }

    private void checkIterator() {
        try {
            iterator.status();
        } catch (RocksDBException e) {
            throw new StorageException("group scan failed: " + e.getMessage(), e);
        }
    }

    /** Whether the scan was closed (by its owner, or by {@link NodeStore#close()} under it). */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Releases the iterator and the snapshot. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            next = null;
            iterator.close();
            readOptions.close();
            db.releaseSnapshot(snapshot);
        }
        onClose.accept(this);
    }
}
