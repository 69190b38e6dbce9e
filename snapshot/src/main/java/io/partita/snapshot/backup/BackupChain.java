package io.partita.snapshot.backup;

import io.partita.snapshot.backup.io.BlockFileReader;
import io.partita.snapshot.backup.io.CorruptFileException;
import io.partita.snapshot.backup.io.DataEntries;
import io.partita.snapshot.backup.io.FileKind;
import io.partita.snapshot.backup.state.DigestTable;
import io.partita.snapshot.backup.state.LiveState;
import io.partita.snapshot.backup.state.RecordHash;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A complete backup and the parents it builds on, checked: every manifest, every parent link and every file's
 * checksums. Its final state is that of the newest backup: the records live when it was taken, each in the newest
 * version the chain stores.
 */
public final class BackupChain {
    private final List<BackupManifest> backups;

    private BackupChain(List<BackupManifest> backups) {
        this.backups = List.copyOf(backups);
    }

    /**
     * Opens the backup in {@code dir} and its parents, checking all of them.
     *
     * @param dir a directory written by a committed {@link BackupWriter}
     * @return the checked chain
     * @throws BackupFormatException naming the first bad file: missing, truncated or damaged file, a directory
     *     without a manifest (an interrupted backup), a broken parent link
     */
    public static BackupChain open(Path dir) throws BackupFormatException {
        return new BackupChain(new ChainLoader(Problems.throwing(), false).load(dir));
    }

    /** The manifests, full backup first, then each incremental in order. */
    public List<BackupManifest> backups() {
        return backups;
    }

    /** The newest backup (the one {@link #open} was given). */
    public BackupManifest latest() {
        return backups.get(backups.size() - 1);
    }

    /** Number of records in the final state. */
    public long finalRecordCount() {
        return latest().recordsLive();
    }

    /**
     * Streams the final state: every record live at the newest backup exactly once, in its newest stored version,
     * group by group. Memory holds one group's digests at a time, never record bodies.
     *
     * @param consumer receives the records
     * @throws BackupFormatException when a file went bad since {@link #open} or the chain is inconsistent
     * @throws IOException when reading fails or the consumer throws
     */
    public void forEachFinalRecord(EntryConsumer consumer) throws IOException {
        for (int group = 0; group < latest().sourceGroupCount(); group++) {
            forEachFinalRecord(group, consumer);
        }
    }

    /** The live state of {@code group} at the newest backup (what an incremental on top compares against). */
    LiveState liveState(int group) throws BackupFormatException {
        Path file = BackupLayout.resolve(latest().dir(), BackupLayout.indexName(group));
        try (BlockFileReader reader = BlockFileReader.open(file, FileKind.INDEX, group)) {
            return LiveState.read(reader);
        } catch (CorruptFileException e) {
            throw new BackupFormatException(file, e.getMessage() + ". " + ChainLoader.RESTORE_HINT, e);
        } catch (IOException e) {
            throw new BackupFormatException(file, file + " cannot be read: " + e, e);
        }
    }

    private void forEachFinalRecord(int group, EntryConsumer consumer) throws IOException {
        LiveState live = liveState(group);
        long wanted = live.size();
        Map<String, BitSet> emitted = new HashMap<>();
        long[] found = {0};
        // Newest first: the first version met is the newest, and older files are skipped once all are found.
        for (int b = backups.size() - 1; b >= 0 && found[0] < wanted; b--) {
            Path file = BackupLayout.resolve(backups.get(b).dir(), BackupLayout.dataName(group));
            try (BlockFileReader reader = BlockFileReader.open(file, FileKind.DATA, group)) {
                DataEntries.readFile(reader, new DataEntries.Visitor() {
                    @Override
                    public void record(String namespace, String set, byte[] digest, byte[] record)
                            throws IOException {
                        DigestTable table = live.tableOrNull(namespace);
                        int at = table == null ? -1 : table.find(digest, 0);
                        if (at < 0) {
                            return; // deleted by a later backup
                        }
                        BitSet done = emitted.computeIfAbsent(namespace, ns -> new BitSet(table.size()));
                        if (done.get(at)) {
                            return; // a newer version was already emitted
                        }
                        if (RecordHash.of(record) != table.hash(at)) {
                            throw new BackupFormatException(file, "record " + namespace + "/"
                                    + HexFormat.of().formatHex(digest) + " in " + file + " is not the version the "
                                    + "newest index of group " + group + " holds: the chain is inconsistent. "
                                    + ChainLoader.RESTORE_HINT);
                        }
                        done.set(at);
                        found[0]++;
                        consumer.accept(namespace, set, digest, record);
                    }

                    @Override
                    public void deletion(String namespace, byte[] digest) {
                        // the final state comes from the newest index; deletions matter only to change detection
                    }
                });
            } catch (CorruptFileException e) {
                throw new BackupFormatException(file, e.getMessage() + ". " + ChainLoader.RESTORE_HINT, e);
            }
        }
        if (found[0] != wanted) {
            Path index = BackupLayout.resolve(latest().dir(), BackupLayout.indexName(group));
            throw new BackupFormatException(index, (wanted - found[0]) + " live records of group " + group + " in "
                    + index + " are in no data file of the chain: the chain is inconsistent. "
                    + ChainLoader.RESTORE_HINT);
        }
    }
}
