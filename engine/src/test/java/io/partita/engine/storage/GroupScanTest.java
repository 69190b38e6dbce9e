package io.partita.engine.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partita.engine.record.RecordCodec;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.protocol.KeyDigest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot scans of a group on real RocksDB: isolation from later applies, filters, expiry, closing. */
class GroupScanTest {
    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private static WriteOp put(String namespace, String set, String key, long n, long voidTime) {
        return WriteOp.write(WriteKind.PUT, namespace, set, KeyDigest.compute(set, key), ExistsAction.CREATE_OR_UPDATE,
                0, voidTime, false, Map.of("n", n), 1 << 20);
    }

    private static Set<String> drain(GroupScan scan) {
        Set<String> seen = new TreeSet<>();
        while (scan.hasNext()) {
            ScannedRecord r = scan.next();
            seen.add(r.namespace() + "/" + r.set() + "/" + RecordCodec.decode(r.encoded()).bin("n"));
        }
        return seen;
    }

    @Test
    void aScanSeesExactlyTheStateAtItsPositionWhateverIsAppliedLater() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(1);
            g.apply(new AppliedPosition(1, 10), NOW, List.of(put("test", "s", "a", 1, 0), put("test", "s", "b", 2, 0)));
            try (GroupScan scan = g.openSnapshotScan(NOW, "", "")) {
                g.apply(new AppliedPosition(1, 11), NOW, List.of(put("test", "s", "a", 100, 0),
                        put("test", "s", "c", 3, 0)));
                assertEquals(new AppliedPosition(1, 10), scan.position());
                assertEquals(Set.of("test/s/1", "test/s/2"), drain(scan));
            }
            try (GroupScan scan = g.openSnapshotScan(NOW, "", "")) {
                assertEquals(new AppliedPosition(1, 11), scan.position());
                assertEquals(Set.of("test/s/100", "test/s/2", "test/s/3"), drain(scan));
            }
        }
    }

    @Test
    void filtersByNamespaceAndSetAndSkipsExpiredRecords() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(0);
            g.apply(new AppliedPosition(1, 1), NOW - 1, List.of(
                    put("test", "users", "u1", 1, 0),
                    put("test", "orders", "o1", 2, 0),
                    put("other", "users", "u1", 3, 0),
                    put("test", "users", "gone", 4, NOW),
                    put("test", "", "plain", 5, NOW + 1)));
            assertEquals(Set.of("test/users/1", "test/orders/2", "other/users/3", "test//5"),
                    drain(g.openSnapshotScan(NOW, "", "")));
            assertEquals(Set.of("test/users/1", "test/orders/2", "test//5"), drain(g.openSnapshotScan(NOW, "test", "")));
            assertEquals(Set.of("test/users/1", "other/users/3"), drain(g.openSnapshotScan(NOW, "", "users")));
            assertEquals(Set.of("other/users/3"), drain(g.openSnapshotScan(NOW, "other", "users")));
            try (GroupScan scan = g.openSnapshotScan(NOW, "test", "orders")) {
                ScannedRecord r = scan.next();
                assertArrayEquals(KeyDigest.compute("orders", "o1"), r.digest());
                assertEquals(g.readEncoded("test", r.digest(), NOW).length, r.encoded().length);
                assertFalse(scan.hasNext());
            }
        }
    }

    @Test
    void aClosedScanEndsAndClosingTheStoreClosesOpenScans() {
        List<GroupScan> scans = new ArrayList<>();
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(0);
            g.apply(new AppliedPosition(1, 1), NOW, List.of(put("test", "s", "a", 1, 0), put("test", "s", "b", 2, 0)));
            GroupScan closed = g.openSnapshotScan(NOW, "", "");
            closed.close();
            closed.close();
            assertFalse(closed.hasNext());
            assertThrows(NoSuchElementException.class, closed::next);
            scans.add(g.openSnapshotScan(NOW, "", ""));
            scans.get(0).next();
        }
        // The store closed the scan before RocksDB went away: using it now ends cleanly instead of crashing.
        assertFalse(scans.get(0).hasNext());
    }
}
