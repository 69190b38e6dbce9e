package io.partita.snapshot.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalChainTest {
    private static final int GROUPS = 3;

    @TempDir
    Path tmp;

    @Test
    void twoIncrementalsGiveExactlyTheFinalState() throws Exception {
        SourceState source = new SourceState(GROUPS);
        for (int k = 0; k < 600; k++) {
            source.put("test", "demo", k, 100);
        }
        Path full = tmp.resolve("full");
        source.backup(full, spec(null));

        for (int k = 0; k < 50; k++) {
            source.put("test", "demo", k, 120);          // updated
            source.delete("test", "demo", 100 + k);     // deleted
            source.put("test", "demo", 1000 + k, 80);   // new
        }
        Path inc1 = tmp.resolve("inc1");
        BackupManifest m1 = source.backup(inc1, spec(BackupChain.open(full)));
        assertEquals(BackupKind.INCREMENTAL, m1.kind());
        assertEquals(100, m1.recordsStored(), "only updated and new records are stored");
        assertEquals(50, m1.deletions());
        assertEquals(600, m1.recordsLive());

        for (int k = 0; k < 10; k++) {
            source.put("test", "demo", k, 130);          // updated again
            source.put("test", "demo", 100 + k, 90);     // deleted in inc1, back now
            source.delete("test", "demo", 1000 + k);     // new in inc1, gone now
            source.delete("test", "demo", 200 + k);      // from the full backup, gone now
        }
        Path inc2 = tmp.resolve("inc2");
        BackupManifest m2 = source.backup(inc2, spec(BackupChain.open(inc1)));
        assertEquals(20, m2.recordsStored());
        assertEquals(20, m2.deletions());
        assertEquals(m1.backupId(), m2.parent().backupId());
        assertEquals("../inc1", m2.parent().dir(), "parent stored relative so the tree can move");

        BackupChain chain = BackupChain.open(inc2);
        assertEquals(List.of(BackupKind.FULL, BackupKind.INCREMENTAL, BackupKind.INCREMENTAL),
                chain.backups().stream().map(BackupManifest::kind).toList());
        source.assertFinalStateOf(chain);
        assertTrue(BackupVerifier.verify(inc2).ok(), () -> BackupVerifier.verify(inc2).problems().toString());
    }

    @Test
    void anUnchangedSourceGivesAnEmptyIncrementalAndTheChainMovesAsAWhole() throws Exception {
        SourceState source = new SourceState(GROUPS);
        for (int k = 0; k < 100; k++) {
            source.put("test", "demo", k, 40);
        }
        source.backup(tmp.resolve("a/full"), spec(null));
        BackupManifest inc = source.backup(tmp.resolve("a/inc"), spec(BackupChain.open(tmp.resolve("a/full"))));
        assertEquals(0, inc.recordsStored());
        assertEquals(0, inc.deletions());

        Files.move(tmp.resolve("a"), tmp.resolve("moved"), StandardCopyOption.ATOMIC_MOVE);
        source.assertFinalStateOf(BackupChain.open(tmp.resolve("moved/inc")));
    }

    @Test
    void aParentReplacedByAnotherBackupIsRefused() throws Exception {
        SourceState source = new SourceState(GROUPS);
        source.put("test", "demo", 1, 10);
        Path full = tmp.resolve("full");
        source.backup(full, spec(null));
        Path inc = tmp.resolve("inc");
        source.backup(inc, spec(BackupChain.open(full)));

        // Another cluster's full backup now sits where the parent was.
        deleteTree(full);
        source.backup(full, new BackupSpec("cluster-b", GROUPS, null, null, null));
        BackupFormatException e = assertThrows(BackupFormatException.class, () -> BackupChain.open(inc));
        assertEquals(inc.resolve("manifest.json"), e.file());
        assertTrue(e.getMessage().contains("broken parent link"), e.getMessage());

        // And with the parent gone altogether.
        deleteTree(full);
        e = assertThrows(BackupFormatException.class, () -> BackupChain.open(inc));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        VerifyReport report = BackupVerifier.verify(inc);
        assertEquals(1, report.problems().size(), report.problems().toString());
        assertEquals(inc.resolve("manifest.json"), report.problems().get(0).file());
    }

    @Test
    void aParentOfAnotherClusterOrWithOtherFiltersIsRefusedUpFront() throws Exception {
        SourceState source = new SourceState(GROUPS);
        source.put("test", "demo", 1, 10);
        Path full = tmp.resolve("full");
        source.backup(full, spec(null));
        BackupChain parent = BackupChain.open(full);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BackupSpec("cluster-b", GROUPS, null, null, parent));
        assertTrue(e.getMessage().contains("cluster-a"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BackupSpec("cluster-a", GROUPS + 1, null, null, parent));
        assertThrows(IllegalArgumentException.class, () -> new BackupSpec("cluster-a", GROUPS, "test", null, parent));
    }

    @Test
    void sinceAnIncompleteParentIsRefused() throws Exception {
        SourceState source = new SourceState(GROUPS);
        source.put("test", "demo", 1, 10);
        Path unfinished = tmp.resolve("unfinished");
        BackupWriter writer = BackupWriter.open(unfinished, spec(null));
        source.writeGroup(writer, 0, 1); // never committed
        BackupFormatException e = assertThrows(BackupFormatException.class, () -> BackupChain.open(unfinished));
        assertEquals(unfinished.resolve("manifest.json"), e.file());
        assertTrue(e.getMessage().contains("is unfinished"), e.getMessage());
    }

    /**
     * An export at a lower Raft index than the parent's backup of the group (an empty, wiped or lagging replica) is
     * refused before anything is written: it would record every record of the parent as deleted. The group can
     * then be written from a replica that is not behind, and the chain restores exactly.
     */
    @Test
    void aGroupBelowTheParentsIndexIsRefusedAndRecordsNoDeletions() throws Exception {
        SourceState source = new SourceState(GROUPS);
        for (int k = 0; k < 200; k++) {
            source.put("test", "demo", k, 30);
        }
        Path full = tmp.resolve("full");
        BackupManifest parent = source.backup(full, spec(null)); // group g at index g + 1
        Path inc = tmp.resolve("inc");
        BackupWriter writer = BackupWriter.open(inc, spec(BackupChain.open(full)));

        long parentIndex = parent.group(2).index();
        GroupBehindParentException e = assertThrows(GroupBehindParentException.class, () -> {
            try (GroupSink emptyReplica = writer.openGroup(2, 1, parentIndex - 1)) {
                emptyReplica.finish(); // what an empty replica's export would record
            }
        });
        assertEquals(2, e.group());
        assertEquals(parentIndex - 1, e.index());
        assertEquals(parentIndex, e.parentIndex());
        assertTrue(e.getMessage().contains("another replica"), e.getMessage());
        assertTrue(writer.completedGroups().isEmpty(), "nothing recorded for the refused group");
        try (var files = Files.list(inc.resolve("groups"))) {
            assertEquals(List.of(), files.toList(), "no files written for the refused group");
        }

        // The same group from a replica at the parent's index or later is accepted, without spurious deletions.
        for (int g = 0; g < GROUPS; g++) {
            GroupSummary summary = source.writeGroup(writer, g, parent.group(g).index() + (g == 2 ? 0 : 5));
            assertEquals(0, summary.deletions(), "group " + g);
        }
        BackupManifest m = writer.commit();
        assertEquals(0, m.deletions());
        source.assertFinalStateOf(BackupChain.open(inc));
    }

    private static BackupSpec spec(BackupChain parent) {
        return new BackupSpec("cluster-a", GROUPS, null, null, parent);
    }

    static void deleteTree(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
