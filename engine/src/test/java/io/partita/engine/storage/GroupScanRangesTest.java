package io.partita.engine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.protocol.KeyDigest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partition-ranged scans: only the partitions asked for, in order, resumed after a digest without gaps. */
class GroupScanRangesTest {
    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void readsOnlyTheAskedPartitionsAndResumesAfterADigest() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(0);
            List<WriteOp> writes = new ArrayList<>();
            TreeMap<Integer, List<String>> byPartition = new TreeMap<>();
            for (int i = 0; i < 3000; i++) {
                byte[] digest = KeyDigest.compute("s", "k" + i);
                writes.add(WriteOp.write(WriteKind.PUT, "test", "s", digest, ExistsAction.CREATE_OR_UPDATE, 0, 0,
                        false, Map.of("i", (long) i), 1 << 20));
                byPartition.computeIfAbsent(KeyDigest.partitionId(digest), p -> new ArrayList<>())
                        .add(HexFormat.of().formatHex(digest));
            }
            g.apply(new AppliedPosition(1, 1), NOW, writes);
            byPartition.values().forEach(l -> l.sort(null));
            List<Integer> busy = byPartition.entrySet().stream().filter(e -> e.getValue().size() >= 3)
                    .map(Map.Entry::getKey).limit(3).toList();
            int p0 = busy.get(0);
            int p1 = busy.get(1);
            int p2 = busy.get(2);
            byte[] resume = HexFormat.of().parseHex(byPartition.get(p1).get(0));

            List<String> seen = new ArrayList<>();
            List<Integer> doneAfter = new ArrayList<>();
            try (GroupScan scan = g.openSnapshotScan(NOW, "test", "s", List.of(
                    new GroupScan.PartitionRange(p2, null), new GroupScan.PartitionRange(p1, resume),
                    new GroupScan.PartitionRange(p0, null)))) {
                while (scan.hasNext()) {
                    seen.add(HexFormat.of().formatHex(scan.next().digest()));
                    doneAfter.add(scan.rangesDone());
                }
                assertEquals(3, scan.rangesDone());
            }
            List<String> expected = new ArrayList<>(byPartition.get(p0));
            expected.addAll(byPartition.get(p1).subList(1, byPartition.get(p1).size()));
            expected.addAll(byPartition.get(p2));
            assertEquals(expected, seen, "partitions in order, the resumed one after its digest, nothing else");
            assertEquals(0, (int) doneAfter.get(0));
            assertTrue(doneAfter.get(byPartition.get(p0).size()) >= 1, "the first range is done once the second "
                    + "one starts");
        }
    }
}
