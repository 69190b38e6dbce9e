package io.partita.snapshot.backup;

import io.partita.snapshot.backup.state.LiveState;
import io.partita.snapshot.io.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one backup into a directory: {@link #openGroup} a {@link GroupSink} per Raft group (several may run in
 * parallel, one per thread), then {@link #commit()} writes {@code manifest.json} last and atomically. Until then
 * the directory holds a {@code progress.journal} of the finished groups, so a run interrupted by a crash can be
 * resumed by opening the same directory with the same spec and writing only the groups not in
 * {@link #completedGroups()}.
 */
public final class BackupWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BackupWriter.class);

    private final Path dir;
    private final BackupSpec spec;
    private final UUID backupId;
    private final Instant createdAt;
    private final ProgressJournal journal;
    private final Map<Integer, GroupSummary> completed = new TreeMap<>();
    private final Set<Integer> open = new HashSet<>();
    private boolean committed;

    private BackupWriter(Path dir, BackupSpec spec, UUID backupId, Instant createdAt, ProgressJournal journal,
            List<GroupSummary> resumed) {
        this.dir = dir;
        this.spec = spec;
        this.backupId = backupId;
        this.createdAt = createdAt;
        this.journal = journal;
        resumed.forEach(s -> completed.put(s.group(), s));
    }

    /**
     * Starts a backup in {@code dir} (created when missing), or resumes the unfinished one it holds.
     *
     * @param dir an empty or missing directory, or one holding an unfinished backup with the same spec
     * @param spec what the backup covers
     * @return the writer
     * @throws BackupDirectoryException when {@code dir} holds a complete backup, an unfinished one with another
     *     spec, or other files
     * @throws IOException when the directory cannot be written
     */
    public static BackupWriter open(Path dir, BackupSpec spec) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        Files.createDirectories(root);
        Path manifest = root.resolve(BackupLayout.MANIFEST);
        if (Files.exists(manifest)) {
            throw new BackupDirectoryException(root, root + " already holds a complete backup; write the new backup "
                    + "to a new directory (pass the old one as --since for an incremental)");
        }
        Path journalFile = root.resolve(BackupLayout.JOURNAL);
        Path groups = root.resolve(BackupLayout.GROUPS);
        if (Files.exists(journalFile)) {
            return resume(root, spec, journalFile, groups);
        }
        try (Stream<Path> entries = Files.list(root)) {
            if (entries.findAny().isPresent()) {
                throw new BackupDirectoryException(root, root + " is not empty and holds no unfinished Partita "
                        + "backup; choose an empty or new directory");
            }
        }
        Files.createDirectories(groups);
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        ProgressJournal journal = ProgressJournal.create(journalFile, id, now, spec);
        LOG.info("Backup {} ({}) started in {}", id, spec.kind(), root);
        return new BackupWriter(root, spec, id, now, journal, List.of());
    }

    private static BackupWriter resume(Path root, BackupSpec spec, Path journalFile, Path groups) throws IOException {
        ProgressJournal.Content content = ProgressJournal.read(journalFile);
        if (!content.spec().equals(ProgressJournal.specJson(spec))) {
            throw new BackupDirectoryException(root, root + " holds an unfinished backup with other settings "
                    + content.spec() + "; rerun with those settings to resume it, or delete the directory / choose "
                    + "another one to start afresh");
        }
        List<GroupSummary> intact = new ArrayList<>();
        for (GroupSummary s : content.groups()) {
            if (s.group() < 0 || s.group() >= spec.sourceGroupCount()) {
                continue;
            }
            if (filesIntact(root, s)) {
                intact.add(s);
            } else {
                LOG.warn("Backup {}: files of finished group {} are missing or changed; writing it again",
                        content.backupId(), s.group());
            }
        }
        Files.createDirectories(groups);
        deletePartialFiles(groups);
        LOG.info("Backup {} resumed in {}: {} of {} groups already finished", content.backupId(), root,
                intact.size(), spec.sourceGroupCount());
        return new BackupWriter(root, spec, content.backupId(), content.createdAt(),
                ProgressJournal.reopen(journalFile), intact);
    }

    /** The backup directory (absolute). */
    public Path dir() {
        return dir;
    }

    /** This backup's id (kept across a resume). */
    public UUID backupId() {
        return backupId;
    }

    /** What the backup covers. */
    public BackupSpec spec() {
        return spec;
    }

    /** Groups finished so far, including those finished by an earlier interrupted run; skip them when resuming. */
    public synchronized Set<Integer> completedGroups() {
        return Collections.unmodifiableSet(new TreeSet<>(completed.keySet()));
    }

    /**
     * Starts writing {@code group}; files left by an earlier attempt at it are discarded.
     *
     * @param group 0 .. sourceGroupCount-1
     * @param term Raft term of the state about to be written
     * @param index Raft log index of the state about to be written
     * @return the group's sink; {@link GroupSink#finish()} or {@link GroupSink#close()} it
     * @throws IllegalStateException when the group is finished already, being written, or the backup is committed
     * @throws GroupBehindParentException for an incremental backup, when {@code index} is below the parent chain's
     *     index of the group (nothing is written; the group may be opened again with another replica's state)
     * @throws IOException when the files cannot be created or the parent's index cannot be read
     */
    public GroupSink openGroup(int group, long term, long index) throws IOException {
        if (group < 0 || group >= spec.sourceGroupCount()) {
            throw new IllegalArgumentException("group " + group + " is outside 0.." + (spec.sourceGroupCount() - 1));
        }
        if (spec.parent() != null) {
            // Raft indexes never go back: a lower one is a replica that is behind or lost its data, whose records
            // would be compared against the parent and everything written since recorded as deleted.
            BackupManifest parent = spec.parent().latest();
            long parentIndex = parent.group(group).index();
            if (index < parentIndex) {
                LOG.warn("Backup {}: refused group {} at index {}, below the previous backup's {}", backupId, group,
                        index, parentIndex);
                throw new GroupBehindParentException(group, index, parentIndex, parent.dir());
            }
        }
        synchronized (this) {
            if (committed) {
                throw new IllegalStateException("backup " + backupId + " is already committed");
            }
            if (completed.containsKey(group)) {
                throw new IllegalStateException("group " + group + " is already finished in " + dir
                        + "; skip the groups in completedGroups()");
            }
            if (!open.add(group)) {
                throw new IllegalStateException("group " + group + " is already being written by another sink");
            }
        }
        try {
            for (String name : List.of(BackupLayout.dataName(group), BackupLayout.indexName(group))) {
                Path file = BackupLayout.resolve(dir, name);
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + BackupLayout.PARTIAL));
            }
            LiveState parentState = spec.parent() == null ? null : spec.parent().liveState(group);
            return new GroupSink(this, spec, group, term, index, parentState);
        } catch (IOException | RuntimeException e) {
            groupAbandoned(group);
            throw e;
        }
    }

    /**
     * Writes the manifest (temp file, fsync, atomic rename) once every group is finished, then removes the journal.
     *
     * @return the manifest written
     * @throws IllegalStateException when a group is unfinished or still being written
     * @throws IOException when writing fails
     */
    public synchronized BackupManifest commit() throws IOException {
        if (committed) {
            throw new IllegalStateException("backup " + backupId + " is already committed");
        }
        if (!open.isEmpty()) {
            throw new IllegalStateException("groups " + new TreeSet<>(open) + " are still being written; finish "
                    + "or close their sinks before commit");
        }
        List<Integer> missing = new ArrayList<>();
        for (int g = 0; g < spec.sourceGroupCount(); g++) {
            if (!completed.containsKey(g)) {
                missing.add(g);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missing.size() + " groups are not finished (" + abbreviate(missing)
                    + "); write them before commit");
        }
        BackupManifest manifest = ManifestCodec.seal(new BackupManifest(ManifestCodec.FORMAT_VERSION, backupId,
                spec.kind(), parentLink(), spec.clusterId(), spec.sourceGroupCount(), spec.namespaceFilter(),
                spec.setFilter(), createdAt, new ArrayList<>(completed.values()), null, dir));
        DurableFiles.writeAtomically(dir.resolve(BackupLayout.MANIFEST), ManifestCodec.toJson(manifest));
        journal.close();
        Files.deleteIfExists(dir.resolve(BackupLayout.JOURNAL));
        DurableFiles.fsyncDirectory(dir);
        committed = true;
        LOG.info("Backup {} committed in {}: {} records stored, {} live, {} deletions, {} bytes", backupId, dir,
                manifest.recordsStored(), manifest.recordsLive(), manifest.deletions(), manifest.compressedBytes());
        return manifest;
    }

    synchronized void groupFinished(GroupSummary summary) throws IOException {
        journal.append(summary);
        open.remove(summary.group());
        completed.put(summary.group(), summary);
    }

    synchronized void groupAbandoned(int group) {
        open.remove(group);
    }

    private ParentLink parentLink() {
        if (spec.parent() == null) {
            return null;
        }
        BackupManifest parent = spec.parent().latest();
        Path parentDir = parent.dir();
        String link = parentDir.getRoot() != null && parentDir.getRoot().equals(dir.getRoot())
                ? dir.relativize(parentDir).toString().replace(dir.getFileSystem().getSeparator(), "/")
                : parentDir.toString();
        return new ParentLink(parent.backupId(), parent.checksum(), link);
    }

    private static boolean filesIntact(Path root, GroupSummary s) throws IOException {
        for (BackupFile f : s.files()) {
            Path file = BackupLayout.resolve(root, f.name());
            if (!Files.isRegularFile(file) || Files.size(file) != f.size() || DurableFiles.crc32c(file) != f.crc32c()) {
                return false;
            }
        }
        return true;
    }

    private static void deletePartialFiles(Path groups) throws IOException {
        try (Stream<Path> files = Files.list(groups)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(BackupLayout.PARTIAL)) {
                    Files.delete(f);
                }
            }
        }
    }

    private static String abbreviate(List<Integer> groups) {
        return groups.size() <= 10 ? groups.toString() : groups.subList(0, 10) + " and " + (groups.size() - 10)
                + " more";
    }
}
