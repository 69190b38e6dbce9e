package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.PartitionFilter;
import io.partita.client.ScanPolicy;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scans on a 3-node cluster: a set, bin selection, a partition range, a scan resumed from its filter until done
 * (no duplicates, no gaps), and a node lost mid-scan.
 */
class ScanClusterTest {
    private static final int GROUPS = 6;
    private static final int RECORDS = 2000;

    @TempDir
    Path dir;

    private static Set<String> expected(int from, int to) {
        Set<String> out = new HashSet<>();
        for (int i = from; i < to; i++) {
            out.add(HexFormat.of().formatHex(KeyDigest.compute("s", "k" + i)));
        }
        return out;
    }

    @Test
    void scansASetWholeInRangesAndResumedWithoutDuplicatesOrGapsAcrossANodeLoss() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, GROUPS);
             PartitaClient client = PartitaClient.connect(cluster.clientAddresses().toArray(String[]::new))) {
            for (int i = 0; i < RECORDS; i++) {
                client.put(new Key("test", "s", "k" + i), Map.of("i", (long) i, "pad", "x".repeat(100)));
            }
            for (int i = 0; i < 300; i++) {
                client.put(new Key("test", "other", "k" + i), Map.of("i", (long) i));
            }

            // The whole set, one bin.
            Set<String> seen = new HashSet<>();
            AtomicInteger withOnlyI = new AtomicInteger();
            PartitionFilter all = PartitionFilter.all();
            long n = client.scanPartitions(null, all, "test", "s", (ns, set, digest, r) -> {
                assertTrue(seen.add(HexFormat.of().formatHex(digest)), "no duplicates");
                assertEquals("s", set);
                withOnlyI.addAndGet(r.bins().keySet().equals(Set.of("i")) ? 1 : 0);
            }, "i");
            assertEquals(RECORDS, n);
            assertEquals(expected(0, RECORDS), seen);
            assertEquals(RECORDS, withOnlyI.get(), "only the bins asked for");
            assertTrue(all.isDone());

            // A partition range reads its partitions only.
            Set<String> low = new HashSet<>();
            client.scanPartitions(null, PartitionFilter.range(0, 1024), "test", "s",
                    (ns, set, digest, r) -> low.add(HexFormat.of().formatHex(digest)));
            Set<String> wantLow = new HashSet<>();
            for (String d : expected(0, RECORDS)) {
                if (KeyDigest.partitionId(HexFormat.of().parseHex(d)) < 1024) {
                    wantLow.add(d);
                }
            }
            assertEquals(wantLow, low);

            // In slices of 300 from one filter, and a node lost in the middle: every record exactly once.
            Set<String> resumed = new HashSet<>();
            PartitionFilter cursor = PartitionFilter.all();
            AtomicInteger total = new AtomicInteger();
            int calls = 0;
            while (!cursor.isDone()) {
                calls++;
                client.scanPartitions(ScanPolicy.DEFAULT.withMaxRecords(300), cursor, "test", "s",
                        (ns, set, digest, r) -> {
                            assertTrue(resumed.add(HexFormat.of().formatHex(digest)), "no duplicates after a resume");
                            if (total.incrementAndGet() == 900) {
                                cluster.stop(1);
                            }
                        });
                assertTrue(calls < 20, "the slices end");
            }
            assertEquals(expected(0, RECORDS), resumed, "no gaps");
            assertTrue(calls >= RECORDS / 300, "several slices: " + calls);

            PartitaException unknown = assertThrows(PartitaException.class, () -> client.scanPartitions(null,
                    PartitionFilter.all(), "nope", null, (ns, set, digest, r) -> { }));
            assertEquals(ResultCode.NAMESPACE_NOT_FOUND, unknown.resultCode());
        }
    }
}
