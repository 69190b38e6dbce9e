package io.partita.engine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
}
