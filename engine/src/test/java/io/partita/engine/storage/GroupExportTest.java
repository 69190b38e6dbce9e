package io.partita.engine.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.protocol.KeyDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real RocksDB: a group exported to SST files replaces another group's content exactly, position included. */
class GroupExportTest {
    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private static WriteOp put(String key, long value) {
        return WriteOp.write(WriteKind.PUT, "test", "s", KeyDigest.compute("s", key), ExistsAction.CREATE_OR_UPDATE,
                0, 0, false, Map.of("v", value), 1 << 20);
    }

    @Test
    void exportThenClearAndIngestReplacesTheFamily() throws Exception {
        Path files = Files.createDirectories(dir.resolve("export"));
        try (NodeStore node = NodeStore.open(dir.resolve("db"), StorageOptions.defaults())) {
            GroupStore source = node.group(1);
            List<WriteOp> ops = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                ops.add(put("k" + i, i));
            }
            source.apply(new AppliedPosition(3, 42), NOW, ops);

            ExportedGroup export = source.exportTo(files, 4096);
            assertEquals(new AppliedPosition(3, 42), export.position());
            assertEquals(500, export.recordCount());
            assertTrue(export.files().size() > 1, "small file limit splits the export: " + export.files());

            GroupStore target = node.group(2);
            target.apply(new AppliedPosition(9, 900), NOW, List.of(put("only-in-target", 1), put("k0", -1)));
            target.clear();
            assertEquals(AppliedPosition.NONE, target.appliedPosition());
            assertNull(target.read("test", KeyDigest.compute("s", "only-in-target"), NOW));
            target.ingest(export.files());

            assertEquals(new AppliedPosition(3, 42), target.appliedPosition());
            assertNull(target.read("test", KeyDigest.compute("s", "only-in-target"), NOW));
            for (int i = 0; i < 500; i++) {
                var r = target.read("test", KeyDigest.compute("s", "k" + i), NOW);
                assertNotNull(r, "k" + i);
                assertEquals((long) i, r.bins().get("v"));
            }
            assertTrue(Files.exists(export.files().get(0)), "ingest copies: the files stay for a redo");
        }
        try (NodeStore node = NodeStore.open(dir.resolve("db"), StorageOptions.defaults())) {
            assertEquals(new AppliedPosition(3, 42), node.group(2).appliedPosition(), "durable across reopen");
            assertNull(node.group(2).read("test", KeyDigest.compute("s", "only-in-target"), NOW));
        }
    }

    /**
     * Between clear and a completed ingest the family is marked as being replaced -- through a failed ingest, entries
     * applied on top and a reopen -- and a scan sees the mark in its own snapshot, so an export never passes off the
     * empty or partial family as the group.
     */
    @Test
    void clearMarksTheFamilyAsReplacedUntilAnIngestCompletes() throws Exception {
        Path files = Files.createDirectories(dir.resolve("export"));
        try (NodeStore node = NodeStore.open(dir.resolve("db"), StorageOptions.defaults())) {
            GroupStore source = node.group(1);
            source.apply(new AppliedPosition(3, 42), NOW, List.of(put("a", 1), put("b", 2)));
            ExportedGroup export = source.exportTo(files, 1 << 20);

            GroupStore target = node.group(2);
            target.apply(new AppliedPosition(2, 20), NOW, List.of(put("old", 1)));
            try (GroupScan whole = target.openSnapshotScan(NOW, "", "")) {
                target.clear();
                assertFalse(whole.replacing(), "a scan opened before the clear keeps its whole snapshot");
                assertEquals(new AppliedPosition(2, 20), whole.position());
                assertTrue(whole.hasNext());
            }
            assertTrue(target.replacing());
            try (GroupScan scan = target.openSnapshotScan(NOW, "", "")) {
                assertTrue(scan.replacing(), "the cleared family is marked in the scan's own snapshot");
                assertEquals(AppliedPosition.NONE, scan.position());
                assertFalse(scan.hasNext(), "the marker is not a record");
            }
            Path bogus = Files.writeString(dir.resolve("bogus.sst"), "not an SST file");
            assertThrows(StorageException.class, () -> target.ingest(List.of(bogus)));
            // An entry applied on top of the failed install gives a real position but only part of the group.
            target.apply(new AppliedPosition(4, 50), NOW, List.of(put("c", 3)));
            assertTrue(target.replacing(), "still marked after a failed ingest and an entry applied on top");
            try (GroupScan scan = target.openSnapshotScan(NOW, "", "")) {
                assertEquals(new AppliedPosition(4, 50), scan.position());
                assertTrue(scan.replacing());
            }
        }
        try (NodeStore node = NodeStore.open(dir.resolve("db"), StorageOptions.defaults())) {
            GroupStore target = node.group(2);
            assertTrue(target.replacing(), "the marker is durable across a reopen (crash mid-install)");
            try (var listing = Files.list(files)) {
                target.clear();
                target.ingest(listing.filter(f -> f.toString().endsWith(".sst")).sorted().toList());
            }
            assertFalse(target.replacing(), "a completed ingest ends the replacement");
            try (GroupScan scan = target.openSnapshotScan(NOW, "", "")) {
                assertFalse(scan.replacing());
                assertEquals(new AppliedPosition(3, 42), scan.position());
            }
            assertFalse(node.group(1).replacing(), "other groups are not affected");
        }
        try (NodeStore node = NodeStore.open(dir.resolve("db"), StorageOptions.defaults())) {
            assertFalse(node.group(2).replacing(), "the end of the replacement is durable too");
        }
    }

    /** The marker's key and value are part of the on-disk format of a column family. */
    @Test
    void replacingMarkerBytesArePinned() {
        assertArrayEquals(new byte[] {(byte) 0xFF, 'r', 'e', 'p', 'l', 'a', 'c', 'i', 'n', 'g'}, RecordKeys.REPLACING);
        assertArrayEquals(new byte[] {1}, RecordKeys.REPLACING_V1);
        assertArrayEquals(new byte[] {(byte) 0xFF, 'a', 'p', 'p', 'l', 'i', 'e', 'd'}, RecordKeys.APPLIED_POSITION);
        assertTrue(java.util.Arrays.compareUnsigned(RecordKeys.REPLACING, RecordKeys.END_OF_FAMILY) < 0,
                "inside the range clear() deletes, so a clear re-marks rather than keeps an old marker");
    }
}
