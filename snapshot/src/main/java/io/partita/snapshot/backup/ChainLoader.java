package io.partita.snapshot.backup;

import io.partita.snapshot.backup.io.BlockFileReader;
import io.partita.snapshot.backup.io.CorruptFileException;
import io.partita.snapshot.backup.io.DataEntries;
import io.partita.snapshot.backup.io.FileKind;
import io.partita.snapshot.backup.io.FileStats;
import io.partita.snapshot.backup.state.LiveState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a backup's manifest, follows its parent links to the full backup, and checks the chain and every file.
 * Shared by {@link BackupChain#open} (stops at the first problem, checks block checksums) and
 * {@link BackupVerifier} (collects every problem and also decodes every entry).
 */
final class ChainLoader {
    static final String RESTORE_HINT = "The backup cannot be restored as it is: bring the file back from another "
            + "copy of the backup, or take a new full backup.";

    private final Problems problems;
    private final boolean decodeEntries;

    ChainLoader(Problems problems, boolean decodeEntries) {
        this.problems = problems;
        this.decodeEntries = decodeEntries;
    }

    /** The manifests that could be read, full first. */
    List<BackupManifest> load(Path dir) throws BackupFormatException {
        List<BackupManifest> newestFirst = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        Path current = dir.toAbsolutePath().normalize();
        BackupManifest child = null;
        while (true) {
            BackupManifest m = readManifest(current, child);
            if (m == null || (child != null && !linkHolds(child, m))) {
                break;
            }
            if (!seen.add(m.backupId())) {
                problems.report(manifestFile(child), "parent links of " + manifestFile(child) + " form a cycle "
                        + "through backup " + m.backupId() + "; " + RESTORE_HINT);
                break;
            }
            if (structureHolds(m)) {
                checkFiles(m);
            }
            newestFirst.add(m);
            if (m.parent() == null) {
                break;
            }
            child = m;
            current = m.dir().resolve(m.parent().dir()).normalize();
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    static Path manifestFile(BackupManifest m) {
        return m.dir().resolve(BackupLayout.MANIFEST);
    }

    private BackupManifest readManifest(Path dir, BackupManifest child) throws BackupFormatException {
        String role = child == null ? "" : "the parent of backup " + child.backupId() + " (" + child.dir() + "): ";
        Path file = dir.resolve(BackupLayout.MANIFEST);
        if (!Files.isDirectory(dir)) {
            problems.report(child == null ? dir : manifestFile(child), role + dir + " does not exist or is not a "
                    + "directory" + (child == null ? "" : " (moved or deleted?); put it back at that path, or "
                    + "take a new full backup"));
            return null;
        }
        if (!Files.exists(file)) {
            problems.report(file, role + file + " is missing: " + (Files.exists(dir.resolve(BackupLayout.JOURNAL))
                    ? "the backup in " + dir + " is unfinished (it was interrupted; its progress.journal remains); "
                    + "rerun the same backup command to finish it, or delete it"
                    : dir + " is not a complete Partita backup; point at a directory written by a finished "
                    + "'partita backup'"));
            return null;
        }
        try {
            return ManifestCodec.parse(file, Files.readAllBytes(file), dir);
        } catch (BackupFormatException e) {
            problems.report(e.file(), role + e.getMessage());
        } catch (IOException e) {
            problems.report(file, role + file + " cannot be read: " + e);
        }
        return null;
    }

    private boolean linkHolds(BackupManifest child, BackupManifest parent) throws BackupFormatException {
        ParentLink link = child.parent();
        String mismatch = null;
        if (!parent.backupId().equals(link.backupId())) {
            mismatch = "holds backup " + parent.backupId() + ", not the parent " + link.backupId() + " it names";
        } else if (!parent.checksum().equals(link.manifestChecksum())) {
            mismatch = "holds a manifest that changed since this backup was taken (checksum "
                    + parent.checksum() + ", expected " + link.manifestChecksum() + ")";
        } else if (!parent.clusterId().equals(child.clusterId())) {
            mismatch = "is a backup of cluster " + parent.clusterId() + ", not " + child.clusterId();
        } else if (parent.sourceGroupCount() != child.sourceGroupCount()) {
            mismatch = "has " + parent.sourceGroupCount() + " groups, not " + child.sourceGroupCount();
        } else if (!Objects.equals(parent.namespaceFilter(), child.namespaceFilter())
                || !Objects.equals(parent.setFilter(), child.setFilter())) {
            mismatch = "used other namespace/set filters";
        }
        if (mismatch != null) {
            problems.report(manifestFile(child), "broken parent link in " + manifestFile(child) + ": parent dir "
                    + parent.dir() + " " + mismatch + ". Put the right parent back at that path, or take a new "
                    + "full backup.");
            return false;
        }
        return true;
    }

    private boolean structureHolds(BackupManifest m) throws BackupFormatException {
        List<GroupSummary> groups = m.groups();
        boolean ok = groups.size() == m.sourceGroupCount();
        for (int g = 0; ok && g < groups.size(); g++) {
            GroupSummary s = groups.get(g);
            ok = s.group() == g && s.files().size() == 2 && s.files().get(0).name().equals(BackupLayout.dataName(g))
                    && s.files().get(1).name().equals(BackupLayout.indexName(g));
        }
        if (!ok) {
            problems.report(manifestFile(m), manifestFile(m) + " does not list groups 0.." + (m.sourceGroupCount() - 1)
                    + " with one data and one index file each; " + RESTORE_HINT);
        }
        return ok;
    }

    private void checkFiles(BackupManifest m) throws BackupFormatException {
        for (GroupSummary s : m.groups()) {
            checkFile(m, s, s.files().get(0), FileKind.DATA);
            checkFile(m, s, s.files().get(1), FileKind.INDEX);
        }
    }

    private void checkFile(BackupManifest m, GroupSummary s, BackupFile expected, FileKind kind)
            throws BackupFormatException {
        Path file = BackupLayout.resolve(m.dir(), expected.name());
        if (!Files.isRegularFile(file)) {
            problems.report(file, file + " is missing (listed in " + manifestFile(m) + "). " + RESTORE_HINT);
            return;
        }
        try (BlockFileReader reader = BlockFileReader.open(file, kind, s.group())) {
            String content = decodeEntries ? decode(reader, kind, s) : null;
            FileStats stats = decodeEntries ? reader.stats() : reader.verifyRemaining();
            long entries = kind == FileKind.DATA ? s.recordsStored() + s.deletions() : s.recordsLive();
            if (stats.size() != expected.size() || stats.crc32c() != expected.crc32c()) {
                problems.report(file, String.format("%s does not match %s (%d bytes, crc32c %08x; expected %d bytes,"
                        + " crc32c %08x): it was replaced or damaged. %s", file, manifestFile(m), stats.size(),
                        stats.crc32c(), expected.size(), expected.crc32c(), RESTORE_HINT));
            } else if (stats.entries() != entries || content != null) {
                problems.report(file, file + " holds " + (content != null ? content : stats.entries() + " entries")
                        + " but " + manifestFile(m) + " expects " + entries + "; " + RESTORE_HINT);
            }
        } catch (CorruptFileException e) {
            problems.report(file, e.getMessage() + ". " + RESTORE_HINT);
        } catch (IOException e) {
            problems.report(file, file + " cannot be read: " + e);
        }
    }

    /** Decodes every entry; returns a description of a count mismatch, or null. */
    private static String decode(BlockFileReader reader, FileKind kind, GroupSummary s) throws IOException {
        if (kind == FileKind.INDEX) {
            long live = LiveState.read(reader).size();
            return live == s.recordsLive() ? null : live + " live records";
        }
        long[] counts = new long[2];
        DataEntries.readFile(reader, new DataEntries.Visitor() {
            @Override
            public void record(String namespace, String set, byte[] digest, byte[] record) {
                counts[0]++;
            }

            @Override
            public void deletion(String namespace, byte[] digest) {
                counts[1]++;
            }
        });
        return counts[0] == s.recordsStored() && counts[1] == s.deletions() ? null
                : counts[0] + " records and " + counts[1] + " deletions (expected " + s.recordsStored() + " and "
                + s.deletions() + ")";
    }
}
