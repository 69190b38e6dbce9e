package io.partita.engine.storage;

import io.partita.engine.record.CorruptRecordException;
import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import io.partita.engine.write.RecordMutator;
import io.partita.engine.write.RecordMutator.Mutation;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.ResultCode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One Raft group's records: a column family of the node's RocksDB. Applies whole log entries atomically together
 * with the entry's (term, index), and serves point reads.
 *
 * <p>Only the group's state-machine thread calls {@link #apply}; reads may come from any thread.
 */
public final class GroupStore {
    private final int groupIndex;
    private final RocksDB db;
    private final ColumnFamilyHandle family;
    // Data writes go to the WAL without fsync: the Raft log is the durable copy, and the atomic applied position
    // tells Raft where to replay from after a crash.
    private final WriteOptions writeOptions = new WriteOptions().setSync(false).setDisableWAL(false);
    private final Set<GroupScan> openScans = ConcurrentHashMap.newKeySet();

    GroupStore(int groupIndex, RocksDB db, ColumnFamilyHandle family) {
        this.groupIndex = groupIndex;
        this.db = db;
        this.family = family;
    }

    ColumnFamilyHandle family() {
        return family;
    }

    RocksDB db() {
        return db;
    }

    public int groupIndex() {
        return groupIndex;
    }

    /** The last applied log position stored with the data, or {@link AppliedPosition#NONE}. */
    public AppliedPosition appliedPosition() {
        try {
            return AppliedPosition.decode(db.get(family, RecordKeys.APPLIED_POSITION));
        } catch (RocksDBException e) {
            throw new StorageException("group " + groupIndex + ": cannot read applied position: " + e.getMessage(), e);
        }
    }

    /** The live record, or null when absent or expired at {@code nowMs}. */
    public StoredRecord read(String namespace, byte[] digest, long nowMs) {
        return live(readStored(RecordKeys.recordKey(namespace, digest)), nowMs);
    }

    /**
     * The stored encoding of the live record, or null when absent or expired at {@code nowMs}. Only the header is
     * read, so a read can pass the record on without decoding and re-encoding its bins.
     */
    public byte[] readEncoded(String namespace, byte[] digest, long nowMs) {
        byte[] bytes = get(RecordKeys.recordKey(namespace, digest));
        if (bytes == null) {
            return null;
        }
        long voidTime = RecordCodec.voidTimeMs(bytes);
        return voidTime != 0 && voidTime <= nowMs ? null : bytes;
    }

    /**
     * One step of an expiry scan: reads records in key order from {@code from} (inclusive; null = the first record)
     * and returns those expired at {@code nowMs}, reading at most {@code maxScanned} records and returning at most
     * {@code maxExpired}, so each step's work is bounded whatever the family holds. Reads bypass the block cache.
     * A record whose header does not decode is skipped (it cannot be judged; the export path reports it).
     */
    public ExpiredRecords findExpired(byte[] from, long nowMs, int maxScanned, int maxExpired) {
        List<ExpiredRecords.Expired> expired = new ArrayList<>();
        try (ReadOptions options = new ReadOptions().setFillCache(false);
             RocksIterator it = db.newIterator(family, options)) {
            if (from == null) {
                it.seekToFirst();
            } else {
                it.seek(from);
            }
            int scanned = 0;
            for (; it.isValid() && !RecordKeys.isMetaKey(it.key()); it.next()) {
                if (scanned == maxScanned || expired.size() == maxExpired) {
                    return new ExpiredRecords(expired, it.key());
                }
                scanned++;
                RecordCodec.Header header;
                try {
                    header = RecordCodec.header(it.value());
                } catch (CorruptRecordException e) {
                    continue;
                }
                long voidTime = header.voidTimeMs();
                if (voidTime != 0 && voidTime <= nowMs) {
                    byte[] key = it.key();
                    expired.add(new ExpiredRecords.Expired(RecordKeys.namespaceOf(key), RecordKeys.digestOf(key),
                            header.generation(), voidTime));
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StorageException("group " + groupIndex + ": expiry scan failed: " + e.getMessage(), e);
        }
        return new ExpiredRecords(expired, null);
    }

    /**
     * Opens a consistent scan of the group's live records at {@code nowMs}, with the applied position of the same
     * RocksDB snapshot (see {@link GroupScan}). The caller must close it; {@link NodeStore#close()} closes scans
     * still open.
     *
     * @param namespace only records of this namespace; {@code ""} = all
     * @param set       only records of this set; {@code ""} = all
     */
    public GroupScan openSnapshotScan(long nowMs, String namespace, String set) {
        return openSnapshotScan(nowMs, namespace, set, null);
    }

    /**
     * As {@link #openSnapshotScan(long, String, String)}, reading only the given partitions (each from its start or
     * after a resume digest), in partition order; {@link GroupScan#rangesDone()} tells how many are finished.
     *
     * @param ranges the partitions to read, one range per partition, or null for the whole family
     */
    public GroupScan openSnapshotScan(long nowMs, String namespace, String set, List<GroupScan.PartitionRange> ranges) {
        try {
            GroupScan scan = new GroupScan(db, family, nowMs, namespace, set, ranges, openScans::remove);
            openScans.add(scan);
            return scan;
        } catch (RocksDBException e) {
            throw new StorageException("group " + groupIndex + ": cannot open a snapshot scan: " + e.getMessage(), e);
        }
    }

    /** Closes every scan still open (before the RocksDB instance closes under them). */
    void closeScans() {
        for (GroupScan scan : List.copyOf(openScans)) {
            scan.close();
        }
    }

    /**
     * Applies the writes of one Raft log entry in order, atomically with its position. Writes later in the entry see
     * the effects of earlier ones.
     */
    public List<WriteOutcome> apply(AppliedPosition position, long nowMs, List<WriteOp> ops) {
        List<WriteOutcome> outcomes = new ArrayList<>(ops.size());
        // Records already touched by this entry: a key may appear more than once in one batch.
        Map<ByteBuffer, StoredRecord> pending = new HashMap<>();
        try (WriteBatch batch = new WriteBatch()) {
            for (WriteOp op : ops) {
                if (op.kind() == WriteKind.TRUNCATE) {
                    outcomes.add(truncate(batch, op, pending));
                    continue;
                }
                byte[] key = RecordKeys.recordKey(op.namespace(), op.digest());
                ByteBuffer k = ByteBuffer.wrap(key);
                StoredRecord stored = pending.containsKey(k) ? pending.get(k) : readStored(key);
                // An expiry decides on the stored record itself; every other write sees an expired one as absent.
                StoredRecord current = op.kind() == WriteKind.EXPIRE ? stored : live(stored, nowMs);
                Mutation m = RecordMutator.mutate(current, op, nowMs);
                switch (m.change()) {
                    case STORE -> {
                        batch.put(family, key, m.encoded());
                        pending.put(k, m.record());
                    }
                    case DELETE -> {
                        batch.delete(family, key);
                        pending.put(k, null);
                    }
                    case NONE -> { }
                }
                outcomes.add(m.outcome());
            }
            batch.put(family, RecordKeys.APPLIED_POSITION, position.encode());
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new StorageException("group " + groupIndex + ": cannot apply entry " + position.index() + ": "
                    + e.getMessage(), e);
        }
        return outcomes;
    }

    /**
     * Deletes, in {@code batch}, the records a truncate selects (see {@link WriteOp.Truncate}): a key range read per
     * partition range, so only that range's keys are visited. Records this entry already wrote ({@code pending}) are
     * left to the entry: they were written at the entry's time, after any cutoff. Later writes of the entry see the
     * removed records as absent. The outcome's one result is the number of records removed.
     */
    private WriteOutcome truncate(WriteBatch batch, WriteOp op, Map<ByteBuffer, StoredRecord> pending)
            throws RocksDBException {
        WriteOp.Truncate t = op.truncate();
        byte[] namespace = op.namespace().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] start = RecordKeys.partitionStart(t.fromPartition());
        byte[] end = RecordKeys.partitionStart(t.toPartition());
        List<byte[]> matched = new ArrayList<>();
        boolean everyKey = true; // whether every record key of the range is to go
        try (ReadOptions options = new ReadOptions().setFillCache(false);
             RocksIterator it = db.newIterator(family, options)) {
            for (it.seek(start); it.isValid() && java.util.Arrays.compareUnsigned(it.key(), end) < 0; it.next()) {
                byte[] key = it.key();
                if (!RecordKeys.hasNamespace(key, namespace) || pending.containsKey(ByteBuffer.wrap(key))) {
                    everyKey = false;
                    continue;
                }
                RecordCodec.Header header;
                try {
                    header = RecordCodec.header(it.value());
                } catch (CorruptRecordException e) {
                    everyKey = false;
                    continue; // cannot be judged; left for the export path to report
                }
                if ((t.set().isEmpty() || t.set().equals(header.set())) && header.lastUpdateMs() < t.beforeMs()) {
                    matched.add(key);
                } else {
                    everyKey = false;
                }
            }
            it.status();
        }
        // One range tombstone instead of a tombstone per record when the whole range goes and this entry has written
        // nothing in it (a range delete would take those writes too).
        if (everyKey && !matched.isEmpty() && !writtenInRange(pending, start, end)) {
            batch.deleteRange(family, start, end);
        } else {
            for (byte[] key : matched) {
                batch.delete(family, key);
            }
        }
        for (byte[] key : matched) {
            pending.put(ByteBuffer.wrap(key), null);
        }
        return new WriteOutcome(ResultCode.OK, 0, false,
                new WriteOutcome.Operated(List.of((long) matched.size()), 0, ""));
    }

    /** Whether the entry being applied has touched a key in [start, end). */
    private static boolean writtenInRange(Map<ByteBuffer, StoredRecord> pending, byte[] start, byte[] end) {
        for (ByteBuffer k : pending.keySet()) {
            byte[] key = k.array();
            if (java.util.Arrays.compareUnsigned(key, start) >= 0 && java.util.Arrays.compareUnsigned(key, end) < 0) {
                return true;
            }
        }
        return false;
    }

    /** Records only the position (log entries that carry no writes, such as skipped or empty batches). */
    public void advance(AppliedPosition position) {
        apply(position, 0, List.of());
    }

    /**
     * Exports the whole column family into SST files in {@code dir}, consistent as of one point: the applied
     * position returned is read inside the same RocksDB snapshot as the data. The family is flushed first, so
     * RocksDB itself durably holds at least what the export covers (the Raft log before it may then be purged).
     * Must not run concurrently with {@link #apply} (the state machine calls it between entries).
     *
     * @param maxFileBytes start a new SST file after about this many bytes of keys and values
     */
    public ExportedGroup exportTo(Path dir, long maxFileBytes) {
        try {
            flush();
            return SstExport.export(db, family, dir, maxFileBytes);
        } catch (RocksDBException e) {
            throw new StorageException("group " + groupIndex + ": cannot export to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts replacing the family with a snapshot: deletes every key, applied position included, and marks the family
     * as being replaced ({@link #replacing()}) in the same atomic batch, durably (flushed), so a later {@link #ingest}
     * cannot be mixed with keys the snapshot does not hold, and until that ingest completes -- also after a failed
     * ingest, entries applied on top, or a crash -- nobody mistakes the empty or partial family for the group.
     */
    public void clear() {
        deleteAll(true);
    }

    /**
     * Empties the family for a replica rebuilt from scratch (its node lost the group's Raft state): every key goes,
     * a {@link #replacing()} mark included, durably. Unlike {@link #clear} the empty family is the group's state
     * before its first entry, which the group's log (or a snapshot install) then rebuilds.
     */
    public void reset() {
        deleteAll(false);
    }

    private void deleteAll(boolean markReplacing) {
        try (WriteBatch batch = new WriteBatch()) {
            batch.deleteRange(family, new byte[0], RecordKeys.END_OF_FAMILY);
            if (markReplacing) {
                batch.put(family, RecordKeys.REPLACING, RecordKeys.REPLACING_V1);
            }
            db.write(writeOptions, batch);
            flush();
        } catch (RocksDBException e) {
            throw new StorageException("group " + groupIndex + ": cannot clear: " + e.getMessage(), e);
        }
    }

    /**
     * Ingests SST files written by {@link #exportTo} (of any group) in one atomic step; their keys, applied
     * position included, replace what the family holds under the same keys. Then ends the replacement begun by
     * {@link #clear} (durably). The files are copied, not moved, so an interrupted install can be redone from them.
     */
    public void ingest(List<Path> files) {
        try {
            if (!files.isEmpty()) {
                try (IngestExternalFileOptions options = new IngestExternalFileOptions().setMoveFiles(false)) {
                    db.ingestExternalFile(family, files.stream().map(Path::toString).toList(), options);
                }
            }
            db.delete(family, writeOptions, RecordKeys.REPLACING);
            flush();
        } catch (RocksDBException e) {
            throw new StorageException("group " + groupIndex + ": cannot ingest " + files + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the family is being replaced by a snapshot: {@link #clear} ran and no {@link #ingest} has completed
     * since (including after a failed ingest and across restarts). The family is then empty or holds only part of
     * the group, whatever its applied position says.
     */
    public boolean replacing() {
        return get(RecordKeys.REPLACING) != null;
    }

    private void flush() throws RocksDBException {
        try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
            db.flush(options, family);
        }
    }

    private StoredRecord readStored(byte[] key) {
        byte[] bytes = get(key);
        return bytes == null ? null : RecordCodec.decode(bytes);
    }

    private static StoredRecord live(StoredRecord record, long nowMs) {
        return record == null || record.isExpired(nowMs) ? null : record;
    }

    private byte[] get(byte[] key) {
        try {
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw new StorageException("group " + groupIndex + ": read failed: " + e.getMessage(), e);
        }
    }
}
