package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.Operation;
import io.partita.client.PartitaClient;
import io.partita.client.PartitionFilter;
import io.partita.client.ScanPolicy;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan over three node processes while one is killed (kill -9) and started again: every record is delivered
 * exactly once. {@code -Dpartita.scan.records=100000} runs the size; the default keeps the test run short.
 */
class ScanKillProcessTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void everyRecordOnceWhileANodeIsKilledAndRestarted() throws Exception {
        int records = Integer.getInteger("partita.scan.records", 20_000);
        try (ProcessCluster cluster = ProcessCluster.start(dir, 3, 3, 6);
             PartitaClient client = PartitaClient.connect(ClientConfig.builder().seeds(cluster.clientAddresses())
                     .build())) {
            for (int from = 0; from < records; from += 5000) {
                Key[] keys = new Key[Math.min(5000, records - from)];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = new Key("test", "killed", "k" + (from + i));
                }
                assertTrue(client.operate(null, keys, Operation.put("v", 1L)).allAnswered());
            }
            Set<String> seen = new HashSet<>();
            AtomicInteger count = new AtomicInteger();
            long n = client.scanPartitions(ScanPolicy.DEFAULT.withMaxRecords(0), PartitionFilter.all(), "test",
                    "killed", (ns, set, digest, r) -> {
                        assertTrue(seen.add(HexFormat.of().formatHex(digest)), "no record twice");
                        int c = count.incrementAndGet();
                        try {
                            if (c == records / 4) {
                                cluster.node(1).kill9();
                            } else if (c == records / 2) {
                                cluster.restart(1);
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            assertEquals(records, n);
            assertEquals(records, seen.size(), "every record exactly once");
        }
    }
}
