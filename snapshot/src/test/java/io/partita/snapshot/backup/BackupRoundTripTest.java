package io.partita.snapshot.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void fullBackupRestoresEveryRecord() throws Exception {
        SourceState source = new SourceState(4);
        for (int k = 0; k < 3000; k++) {
            source.put("test", "demo", k, 50 + k % 900);
            source.put(k % 2 == 0 ? "cache" : "test", "", k + 100_000, 10);
        }
        source.put("test", "big", 7, 700_000); // one record larger than a block

        Path dir = tmp.resolve("full");
        BackupManifest written = source.backup(dir, new BackupSpec("cluster-a", 4, null, null, null));

        assertEquals(BackupKind.FULL, written.kind());
        assertEquals(source.size(), written.recordsLive());
        assertEquals(source.size(), written.recordsStored());
        assertEquals(0, written.deletions());
        assertTrue(written.compressedBytes() < written.rawBytes(), "LZ4 shrinks the repetitive half of bodies");
        assertTrue(Files.exists(dir.resolve("manifest.json")));
        assertTrue(Files.notExists(dir.resolve("progress.journal")), "journal removed by commit");

        BackupChain chain = BackupChain.open(dir);
        assertEquals(1, chain.backups().size());
        BackupManifest read = chain.latest();
        assertEquals(written.backupId(), read.backupId());
        assertEquals(written.checksum(), read.checksum());
        assertEquals(written.groups(), read.groups());
        assertEquals("cluster-a", read.clusterId());
        assertNull(read.parent());
        source.assertFinalStateOf(chain);
        assertTrue(BackupVerifier.verify(dir).ok(), () -> BackupVerifier.verify(dir).problems().toString());
    }

    @Test
    void filtersKeepOnlyTheChosenNamespaceAndSet() throws Exception {
        SourceState all = new SourceState(2);
        SourceState chosen = new SourceState(2);
        for (int k = 0; k < 200; k++) {
            all.put("test", "demo", k, 30);
            chosen.put("test", "demo", k, 30);
            all.put("test", "other", k, 30);
            all.put("cache", "demo", k, 30);
        }
        // The sinks get every record of the source; only test/demo may be kept.
        Path dir = tmp.resolve("filtered");
        all.backup(dir, new BackupSpec("c", 2, "test", "demo", null));
        BackupChain chain = BackupChain.open(dir);
        assertEquals("test", chain.latest().namespaceFilter());
        assertEquals("demo", chain.latest().setFilter());
        chosen.assertFinalStateOf(chain);
    }

    @Test
    void commitNeedsEveryGroupAndAGroupIsWrittenOnce() throws Exception {
        SourceState source = new SourceState(3);
        source.put("test", "demo", 1, 10);
        BackupWriter writer = BackupWriter.open(tmp.resolve("b"), new BackupSpec("c", 3, null, null, null));
        source.writeGroup(writer, 0, 5);
        IllegalStateException e = assertThrows(IllegalStateException.class, writer::commit);
        assertTrue(e.getMessage().contains("[1, 2]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> writer.openGroup(0, 1, 5));
        GroupSink open = writer.openGroup(1, 1, 5);
        assertThrows(IllegalStateException.class, () -> writer.openGroup(1, 1, 5));
        open.close();
        source.writeGroup(writer, 1, 5);
        source.writeGroup(writer, 2, 5);
        assertEquals(List.of(0, 1, 2), List.copyOf(writer.completedGroups()));
        writer.commit();
    }

    @Test
    void aRecordPutTwiceFailsTheGroup() throws Exception {
        BackupWriter writer = BackupWriter.open(tmp.resolve("dup"), new BackupSpec("c", 1, null, null, null));
        GroupSink sink = writer.openGroup(0, 1, 1);
        byte[] digest = SourceState.digest("test", "demo", 1);
        sink.put("test", "demo", digest, new byte[] {1});
        sink.put("test", "demo", digest, new byte[] {2});
        IllegalStateException e = assertThrows(IllegalStateException.class, sink::finish);
        assertTrue(e.getMessage().contains("put twice"), e.getMessage());
        assertTrue(writer.completedGroups().isEmpty());
        try (var files = Files.list(writer.dir().resolve("groups"))) {
            assertEquals(0, files.count(), "the failed group's partial files are discarded");
        }
    }
}
