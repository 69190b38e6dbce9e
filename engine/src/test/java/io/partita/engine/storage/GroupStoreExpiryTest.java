package io.partita.engine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expiry on real RocksDB: the bounded scan for expired records, and the conditional removal. */
class GroupStoreExpiryTest {
    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private static WriteOp put(String key, long voidTime) {
        return WriteOp.write(WriteKind.PUT, "test", "s", KeyDigest.compute("s", key), ExistsAction.CREATE_OR_UPDATE, 0,
                voidTime, false, Map.of("v", key), 1 << 20);
    }

    @Test
    void theScanFindsEveryExpiredRecordInBoundedStepsAndNothingElse() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(0);
            List<WriteOp> writes = new ArrayList<>();
            Set<String> expiring = new HashSet<>();
            for (int i = 0; i < 250; i++) {
                long voidTime = i % 3 == 0 ? 0 : i % 3 == 1 ? NOW + 1000 : NOW + 10_000_000;
                writes.add(put("k" + i, voidTime));
                if (i % 3 == 1) {
                    expiring.add(java.util.HexFormat.of().formatHex(KeyDigest.compute("s", "k" + i)));
                }
            }
            g.apply(new AppliedPosition(1, 1), NOW, writes);

            Set<String> found = new HashSet<>();
            byte[] from = null;
            int steps = 0;
            do {
                ExpiredRecords step = g.findExpired(from, NOW + 5000, 40, 10);
                for (ExpiredRecords.Expired e : step.expired()) {
                    assertEquals("test", e.namespace());
                    assertEquals(1, e.generation());
                    assertEquals(NOW + 1000, e.voidTimeMs());
                    found.add(java.util.HexFormat.of().formatHex(e.digest()));
                }
                from = step.next();
                steps++;
            } while (from != null);
            assertEquals(expiring, found);
            assertEquals(83, found.size());
            assertTrue(steps >= 250 / 40, "at most 40 records read per step, so several steps: " + steps);
        }
    }

    @Test
    void anExpiryRemovesOnlyTheRecordItsScanSaw() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(0);
            byte[] a = KeyDigest.compute("s", "a");
            byte[] b = KeyDigest.compute("s", "b");
            g.apply(new AppliedPosition(1, 1), NOW, List.of(put("a", NOW + 1000), put("b", NOW + 1000)));
            long later = NOW + 2000;
            // b is recreated after it expired (generation 1 again, new expiry) before its expiry entry applies.
            g.apply(new AppliedPosition(1, 2), later, List.of(put("b", later + 60_000)));
            List<WriteOutcome> out = g.apply(new AppliedPosition(1, 3), later, List.of(
                    WriteOp.expire("test", a, 1, NOW + 1000),
                    WriteOp.expire("test", b, 1, NOW + 1000),
                    WriteOp.expire("test", KeyDigest.compute("s", "never"), 1, NOW + 1000)));
            assertEquals(List.of(ResultCode.OK, ResultCode.GENERATION_ERROR, ResultCode.KEY_NOT_FOUND),
                    out.stream().map(WriteOutcome::code).toList());
            assertNull(g.readEncoded("test", a, 0), "the expired record is gone, not only hidden");
            assertNotNull(g.read("test", b, later), "the rewrite survives");
            assertEquals(List.of(), g.findExpired(null, later, 100, 100).expired());
        }
    }

    @Test
    void anExpiryOfARecordNotYetExpiredAtTheEntrysTimeDoesNothing() {
        try (NodeStore node = NodeStore.open(dir, StorageOptions.defaults())) {
            GroupStore g = node.group(0);
            byte[] a = KeyDigest.compute("s", "a");
            g.apply(new AppliedPosition(1, 1), NOW, List.of(put("a", NOW + 1000)));
            // A leader whose clock ran ahead proposed it; the entry's own time says the record still lives.
            List<WriteOutcome> out = g.apply(new AppliedPosition(1, 2), NOW + 500,
                    List.of(WriteOp.expire("test", a, 1, NOW + 1000)));
            assertEquals(ResultCode.GENERATION_ERROR, out.get(0).code());
            assertNotNull(g.read("test", a, NOW + 500));
        }
    }
}
