package io.partita.snapshot.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {
    private static final BackupSpec SPEC = new BackupSpec("cluster-a", 4, null, null, null);

    @TempDir
    Path tmp;

    @Test
    void anInterruptedBackupResumesWithTheGroupsLeftAndIsValid() throws Exception {
        SourceState source = new SourceState(4);
        for (int k = 0; k < 400; k++) {
            source.put("test", "demo", k, 200);
        }
        Path dir = tmp.resolve("b");
        BackupWriter first = BackupWriter.open(dir, SPEC);
        source.writeGroup(first, 0, 10);
        source.writeGroup(first, 2, 10);
        source.writeHalfGroup(first, 1); // the process dies here: no finish, no close, no commit

        BackupFormatException e = assertThrows(BackupFormatException.class, () -> BackupChain.open(dir));
        assertTrue(e.getMessage().contains("unfinished"), e.getMessage());

        BackupWriter resumed = BackupWriter.open(dir, SPEC);
        assertEquals(first.backupId(), resumed.backupId());
        assertEquals(Set.of(0, 2), resumed.completedGroups());
        assertTrue(Files.notExists(dir.resolve("groups/g-00001.dat.partial")), "half-written files discarded");
        BackupManifest manifest = source.backup(dir, SPEC); // writes groups 1 and 3 only
        assertEquals(first.backupId(), manifest.backupId());
        source.assertFinalStateOf(BackupChain.open(dir));
    }

    @Test
    void aFinishedGroupWhoseFileChangedIsWrittenAgain() throws Exception {
        SourceState source = new SourceState(2);
        for (int k = 0; k < 50; k++) {
            source.put("test", "demo", k, 20);
        }
        Path dir = tmp.resolve("b");
        BackupSpec spec = new BackupSpec("cluster-a", 2, null, null, null);
        source.writeGroup(BackupWriter.open(dir, spec), 0, 1);
        CorruptionTest.flipByte(dir.resolve("groups/g-00000.dat"), 40);
        assertEquals(Set.of(), BackupWriter.open(dir, spec).completedGroups());
    }

    @Test
    void aDirectoryHoldingSomethingElseIsRefused() throws Exception {
        SourceState source = new SourceState(4);
        source.put("test", "demo", 1, 10);
        Path dir = tmp.resolve("b");
        source.writeGroup(BackupWriter.open(dir, SPEC), 0, 1);

        BackupDirectoryException other = assertThrows(BackupDirectoryException.class,
                () -> BackupWriter.open(dir, new BackupSpec("cluster-a", 4, "test", null, null)));
        assertTrue(other.getMessage().contains("other settings"), other.getMessage());

        source.backup(dir, SPEC);
        BackupDirectoryException complete = assertThrows(BackupDirectoryException.class,
                () -> BackupWriter.open(dir, SPEC));
        assertTrue(complete.getMessage().contains("already holds a complete backup"), complete.getMessage());

        Path stranger = Files.createDirectories(tmp.resolve("stranger"));
        Files.writeString(stranger.resolve("notes.txt"), "hello");
        BackupDirectoryException notEmpty = assertThrows(BackupDirectoryException.class,
                () -> BackupWriter.open(stranger, SPEC));
        assertTrue(notEmpty.getMessage().contains("not empty"), notEmpty.getMessage());
    }
}
