package io.partita.snapshot.backup;

import io.partita.snapshot.backup.io.BlockFileWriter;
import io.partita.snapshot.backup.io.DataEntries;
import io.partita.snapshot.backup.io.FileKind;
import io.partita.snapshot.backup.io.FileStats;
import io.partita.snapshot.backup.state.DigestTable;
import io.partita.snapshot.backup.state.LiveState;
import io.partita.snapshot.backup.state.RecordHash;
import io.partita.snapshot.io.DurableFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Receives every live record of one group at one Raft (term, index) and writes the group's data and index files.
 * For an incremental backup only new or changed records are stored, and {@link #finish()} records the parent's
 * records that were not seen as deletions.
 *
 * <p>One sink per thread; sinks of different groups may run in parallel. Files are written under a
 * {@code .partial} name and renamed when finished. {@link #close()} without {@link #finish()} discards them.
 * The counters may be read from another thread for progress output.
 */
public final class GroupSink implements Closeable {
    private final BackupWriter owner;
    private final BackupSpec spec;
    private final int group;
    private final long term;
    private final long index;
    private final Path dataFile;
    private final Path indexFile;
    private final BlockFileWriter data;
    private final LiveState live = new LiveState();
    /** The parent chain's state of this group (null for a full backup) and which of its records were seen. */
    private final LiveState parent;
    private final Map<String, BitSet> seenInParent = new HashMap<>();
    private volatile long recordsSeen;
    private volatile long recordsStored;
    private volatile long deletions;
    private volatile boolean done;

    GroupSink(BackupWriter owner, BackupSpec spec, int group, long term, long index, LiveState parent)
            throws IOException {
        this.owner = owner;
        this.spec = spec;
        this.group = group;
        this.term = term;
        this.index = index;
        this.parent = parent;
        this.dataFile = partial(BackupLayout.dataName(group));
        this.indexFile = partial(BackupLayout.indexName(group));
        this.data = BlockFileWriter.create(dataFile, FileKind.DATA, group);
    }

    /**
     * Offers one live record. Call it once for every live record of the group (in any order); records outside the
     * backup's namespace/set filters are skipped.
     *
     * @param namespace the record's namespace
     * @param set the record's set ("" when none)
     * @param digest the record's 20-byte digest
     * @param record the stored record encoding (opaque here)
     * @throws IOException when writing fails
     */
    public void put(String namespace, String set, byte[] digest, byte[] record) throws IOException {
        if (done) {
            throw new IllegalStateException("group " + group + " is already finished or closed");
        }
        if (digest.length != DataEntries.DIGEST_BYTES) {
            throw new IllegalArgumentException("a digest has " + DataEntries.DIGEST_BYTES + " bytes, got "
                    + digest.length);
        }
        if (!spec.accepts(namespace, set)) {
            return;
        }
        long hash = RecordHash.of(record);
        live.table(namespace).add(digest, 0, hash);
        recordsSeen++;
        if (parent != null && unchangedSinceParent(namespace, digest, hash)) {
            return;
        }
        DataEntries.writeRecord(data, namespace, set, digest, record);
        recordsStored++;
    }

    /**
     * Writes the deletions, the index and the trailers, fsyncs, renames the files into place and records the group
     * in the progress journal, so an interrupted backup resumed later skips it.
     *
     * @return what the group holds
     * @throws IllegalStateException when a record was put twice
     * @throws IOException when writing fails (the sink is then closed and its files discarded)
     */
    public GroupSummary finish() throws IOException {
        if (done) {
            throw new IllegalStateException("group " + group + " is already finished or closed");
        }
        try {
            live.sort();
            writeDeletions();
            FileStats dataStats = data.finish();
            FileStats indexStats = live.write(indexFile, group);
            Path groups = dataFile.getParent();
            DurableFiles.rename(dataFile, finalPath(dataFile));
            DurableFiles.rename(indexFile, finalPath(indexFile));
            DurableFiles.fsyncDirectory(groups);
            GroupSummary summary = new GroupSummary(group, term, index, recordsStored, live.size(), deletions,
                    dataStats.rawBytes(), dataStats.size(), List.of(
                            new BackupFile(BackupLayout.dataName(group), dataStats.size(), dataStats.crc32c()),
                            new BackupFile(BackupLayout.indexName(group), indexStats.size(), indexStats.crc32c())));
            owner.groupFinished(summary);
            done = true;
            return summary;
        } finally {
            if (!done) {
                close();
            }
        }
    }

    /** Discards the group's files unless it was finished; the group may then be opened again. */
    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        try {
            data.close();
            Files.deleteIfExists(dataFile);
            Files.deleteIfExists(indexFile);
        } finally {
            owner.groupAbandoned(group);
        }
    }

    /** The group number. */
    public int group() {
        return group;
    }

    /** Records put so far (within the filters). */
    public long recordsSeen() {
        return recordsSeen;
    }

    /** Records written to the data file so far. */
    public long recordsStored() {
        return recordsStored;
    }

    /** Deletions recorded (known at {@link #finish()}). */
    public long deletions() {
        return deletions;
    }

    /** Uncompressed bytes of the stored entries so far. */
    public long rawBytes() {
        return data.rawBytes();
    }

    /** Bytes written to the data file so far. */
    public long compressedBytes() {
        return data.bytesWritten();
    }

    private boolean unchangedSinceParent(String namespace, byte[] digest, long hash) {
        DigestTable table = parent.tableOrNull(namespace);
        int at = table == null ? -1 : table.find(digest, 0);
        if (at < 0) {
            return false;
        }
        seenInParent.computeIfAbsent(namespace, ns -> new BitSet(table.size())).set(at);
        return table.hash(at) == hash;
    }

    private void writeDeletions() throws IOException {
        if (parent == null) {
            return;
        }
        for (Map.Entry<String, DigestTable> e : parent.tables().entrySet()) {
            DigestTable table = e.getValue();
            BitSet seen = seenInParent.getOrDefault(e.getKey(), new BitSet());
            for (int i = seen.nextClearBit(0); i < table.size(); i = seen.nextClearBit(i + 1)) {
                DataEntries.writeDeletion(data, e.getKey(), table.digestArray(), table.digestOffset(i));
                deletions++;
            }
        }
    }

    private Path partial(String name) {
        Path file = BackupLayout.resolve(owner.dir(), name);
        return file.resolveSibling(file.getFileName() + BackupLayout.PARTIAL);
    }

    private static Path finalPath(Path partial) {
        String name = partial.getFileName().toString();
        return partial.resolveSibling(name.substring(0, name.length() - BackupLayout.PARTIAL.length()));
    }
}
