package io.partita.engine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.Limits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncate on real RocksDB: namespace, set, cutoff and partition range select exactly the records to remove. */
class GroupStoreTruncateTest {
    private static final long T0 = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private static WriteOp put(String namespace, String set, String key) {
        return WriteOp.write(WriteKind.PUT, namespace, set, KeyDigest.compute(set, key),
                ExistsAction.CREATE_OR_UPDATE, 0, 0, false, Map.of("v", key), 1 << 20);
    }

    private static WriteOp truncate(String namespace, String set, long before, int from, int to) {
        return WriteOp.truncate(namespace, new WriteOp.Truncate(set, before, from, to));
    }

    private static long removed(WriteOutcome outcome) {
        return (Long) outcome.operated().results().get(0);
    }

    private static boolean present(GroupStore g, String namespace, String set, String key) {
        return g.readEncoded(namespace, KeyDigest.compute(set, key), 0) != null;
    }

    @Test
    void selectsByNamespaceSetCutoffAndPartitionRange() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(0);
            List<WriteOp> early = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                early.add(put("test", "a", "k" + i));
                early.add(put("test", "b", "k" + i));
                early.add(put("other", "a", "k" + i));
            }
            g.apply(new AppliedPosition(1, 1), T0, early);
            g.apply(new AppliedPosition(1, 2), T0 + 1000, List.of(put("test", "a", "late")));

            // Set a of namespace test, before T0 + 1000: the 50 early ones, not "late", not namespace other.
            WriteOutcome a = g.apply(new AppliedPosition(1, 3), T0 + 2000,
                    List.of(truncate("test", "a", T0 + 1000, 0, Limits.PARTITION_COUNT))).get(0);
            assertEquals(50, removed(a));
            assertNull(g.read("test", KeyDigest.compute("a", "k3"), T0));
            assertNotNull(g.read("test", KeyDigest.compute("a", "late"), T0));
            assertNotNull(g.read("other", KeyDigest.compute("a", "k3"), T0));
            assertNotNull(g.read("test", KeyDigest.compute("b", "k3"), T0));

            // A partition range takes only its partitions.
            int partition = KeyDigest.partitionId(KeyDigest.compute("b", "k7"));
            long inRange = 0;
            for (int i = 0; i < 50; i++) {
                inRange += KeyDigest.partitionId(KeyDigest.compute("b", "k" + i)) == partition ? 1 : 0;
            }
            WriteOutcome one = g.apply(new AppliedPosition(1, 4), T0 + 3000,
                    List.of(truncate("test", "", T0 + 3000, partition, partition + 1))).get(0);
            assertEquals(inRange, removed(one));
            assertEquals(false, present(g, "test", "b", "k7"));
        }
    }

    @Test
    void writesOfTheSameEntrySurviveItsTruncateAndLaterOnesSeeTheRecordGone() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(0);
            g.apply(new AppliedPosition(1, 1), T0, List.of(put("test", "s", "x"), put("test", "s", "y")));
            List<WriteOutcome> out = g.apply(new AppliedPosition(1, 2), T0 + 10, List.of(
                    put("test", "s", "x"),                                    // rewritten in this entry: kept
                    truncate("test", "s", T0 + 10, 0, Limits.PARTITION_COUNT),
                    WriteOp.write(WriteKind.PUT, "test", "s", KeyDigest.compute("s", "y"),
                            ExistsAction.UPDATE_ONLY, 0, 0, false, Map.of("v", "z"), 1 << 20)));
            assertEquals(1, removed(out.get(1)), "only y: x was written by this entry");
            assertEquals(io.partita.protocol.ResultCode.KEY_NOT_FOUND, out.get(2).code(),
                    "a later write of the entry sees y removed");
            assertEquals(true, present(g, "test", "s", "x"));
            assertEquals(false, present(g, "test", "s", "y"));
        }
    }

    /** A range whose every record goes is removed with one range tombstone, not one tombstone per record. */
    @Test
    void aWholeRangeGoesWithOneRangeDeletion() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(0);
            List<WriteOp> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                writes.add(put("test", "s", "k" + i));
            }
            g.apply(new AppliedPosition(1, 1), T0, writes);
            node.flush();
            WriteOutcome out = g.apply(new AppliedPosition(1, 2), T0 + 10,
                    List.of(truncate("test", "", T0 + 10, 0, Limits.PARTITION_COUNT))).get(0);
            assertEquals(200, removed(out));
            assertEquals(0, node.groupProperty(0, "rocksdb.num-deletes-active-mem-table"), "no point deletes");
            for (int i = 0; i < 200; i++) {
                assertEquals(false, present(g, "test", "s", "k" + i));
            }

            // With a record of another namespace in the range, point deletes keep it.
            g.apply(new AppliedPosition(1, 3), T0 + 20, List.of(put("test", "s", "a"), put("other", "s", "b")));
            WriteOutcome mixed = g.apply(new AppliedPosition(1, 4), T0 + 30,
                    List.of(truncate("test", "", T0 + 30, 0, Limits.PARTITION_COUNT))).get(0);
            assertEquals(1, removed(mixed));
            assertEquals(true, present(g, "other", "s", "b"));
            assertEquals(1, node.groupProperty(0, "rocksdb.num-deletes-active-mem-table"));
        }
    }
}
