package io.partita.engine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.record.StoredRecord;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real RocksDB under a temp dir: column families per group, atomic applied position, reads and expiry. */
class GroupStoreTest {
    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private static WriteOp put(String key, Map<String, Object> bins, long voidTime) {
        return WriteOp.write(WriteKind.PUT, "test", "s", KeyDigest.compute("s", key), ExistsAction.CREATE_OR_UPDATE, 0,
                voidTime, false, bins, 1 << 20);
    }

    @Test
    void appliesAnEntryAtomicallyWithItsPositionAndSurvivesReopen() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(3);
            assertEquals(AppliedPosition.NONE, g.appliedPosition());
            List<WriteOutcome> out = g.apply(new AppliedPosition(2, 17), NOW,
                    List.of(put("a", Map.of("x", 1L), 0), put("b", Map.of("y", "z"), 0)));
            assertEquals(List.of(new WriteOutcome(ResultCode.OK, 1, false), new WriteOutcome(ResultCode.OK, 1, false)),
                    out);
        }
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(3);
            assertEquals(new AppliedPosition(2, 17), g.appliedPosition());
            StoredRecord a = g.read("test", KeyDigest.compute("s", "a"), NOW);
            assertNotNull(a);
            assertEquals(Map.of("x", 1L), a.bins());
            assertEquals(NOW, a.lastUpdateMs());
        }
    }

    /** A replica rebuilt from scratch starts as an empty, unmarked family; its existence at open is reported. */
    @Test
    void resetEmptiesTheFamilyWithoutMarkingItAsBeingReplaced() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            assertFalse(node.existedAtOpen(3));
            GroupStore g = node.group(3);
            g.apply(new AppliedPosition(2, 17), NOW, List.of(put("a", Map.of("x", 1L), 0)));
            g.clear();
            assertTrue(g.replacing());
            g.reset();
            assertFalse(g.replacing());
            assertEquals(AppliedPosition.NONE, g.appliedPosition());
            assertNull(g.read("test", KeyDigest.compute("s", "a"), NOW));
        }
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            assertTrue(node.existedAtOpen(3));
            assertFalse(node.existedAtOpen(4));
        }
    }

    @Test
    void laterWritesInOneEntrySeeEarlierOnes() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(0);
            byte[] digest = KeyDigest.compute("s", "k");
            WriteOp createOnly = WriteOp.write(WriteKind.PUT, "test", "", digest, ExistsAction.CREATE_ONLY, 0, 0, false,
                    Map.of("v", 1L), 1 << 20);
            WriteOp cas = WriteOp.write(WriteKind.PUT, "test", "", digest, ExistsAction.CREATE_OR_UPDATE, 1, 0, false,
                    Map.of("v", 2L), 1 << 20);
            WriteOp delete = WriteOp.write(WriteKind.DELETE, "test", "", digest,
                    ExistsAction.CREATE_OR_UPDATE, 0, 0, false,
                    Map.of(), 1 << 20);
            List<WriteOutcome> out = g.apply(new AppliedPosition(1, 1), NOW,
                    List.of(createOnly, createOnly, cas, delete, createOnly));
            assertEquals(List.of(ResultCode.OK, ResultCode.KEY_EXISTS, ResultCode.OK, ResultCode.OK, ResultCode.OK),
                    out.stream().map(WriteOutcome::code).toList());
            assertEquals(2, out.get(2).generation());
            assertEquals(1, g.read("test", digest, NOW).generation(), "re-created after the delete");
        }
    }

    @Test
    void groupsAndNamespacesAreIsolated() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            byte[] digest = KeyDigest.compute("s", "same");
            node.group(1).apply(new AppliedPosition(1, 5), NOW, List.of(put("same", Map.of("g", 1L), 0)));
            assertNull(node.group(2).read("test", digest, NOW));
            assertNull(node.group(1).read("other", digest, NOW));
            assertEquals(AppliedPosition.NONE, node.group(2).appliedPosition());
        }
    }

    @Test
    void expiredRecordsAreInvisibleAndAWriteOverThemStartsAfresh() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(0);
            byte[] digest = KeyDigest.compute("s", "ttl");
            g.apply(new AppliedPosition(1, 1), NOW, List.of(put("ttl", Map.of("v", 1L), NOW + 1000)));
            assertNotNull(g.read("test", digest, NOW + 999));
            assertNull(g.read("test", digest, NOW + 1000), "invisible from the moment it expires");
            assertNotNull(g.readEncoded("test", digest, NOW + 999));
            assertNull(g.readEncoded("test", digest, NOW + 1000), "the header-only read agrees");
            List<WriteOutcome> out = g.apply(new AppliedPosition(1, 2), NOW + 2000,
                    List.of(put("ttl", Map.of("w", 2L), 0)));
            assertEquals(new WriteOutcome(ResultCode.OK, 1, false), out.get(0));
            assertEquals(Map.of("w", 2L), g.read("test", digest, NOW + 3000).bins());
        }
    }

    @Test
    void recordKeysSortByPartitionThenDigest() {
        byte[] d1 = new byte[20];
        byte[] d2 = new byte[20];
        d1[0] = 0x05; d1[1] = 0x01; // partition 0x105
        d2[0] = 0x04; d2[1] = 0x02; // partition 0x204
        byte[] k1 = RecordKeys.recordKey("test", d1);
        byte[] k2 = RecordKeys.recordKey("test", d2);
        assertEquals(0x105, RecordKeys.partitionOf(k1));
        assertEquals(0x204, RecordKeys.partitionOf(k2));
        assertEquals(true, java.util.Arrays.compareUnsigned(k1, k2) < 0);
        assertEquals(true, java.util.Arrays.compareUnsigned(k2, RecordKeys.APPLIED_POSITION) < 0);
    }
}
