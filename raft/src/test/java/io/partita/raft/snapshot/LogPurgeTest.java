package io.partita.raft.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.record.StoredRecord;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.StorageOptions;
import io.partita.engine.time.ManualClock;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import io.partita.protocol.testing.TestPorts;
import io.partita.raft.command.WriteCommands;
import io.partita.raft.group.GroupLayout;
import io.partita.raft.group.GroupWriter;
import io.partita.raft.group.NodeAddress;
import io.partita.raft.group.RaftHost;
import io.partita.raft.group.RaftTuning;
import io.partita.raft.statemachine.PartitaStateMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Ratis + RocksDB, one node: with a small snapshot threshold the group's Raft log stays bounded under a long
 * write load, and a restart recovers every record from the snapshot plus the log tail.
 */
class LogPurgeTest {
    private static final int EVERY = 100;
    private static final long SEGMENT = 64 << 10;
    private static final RaftTuning TUNING = new RaftTuning(Duration.ofMillis(300), Duration.ofMillis(600), true,
            SEGMENT, 1, 16 << 10, 20 << 10, EVERY, 32L << 20);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private final GroupLayout layout = new GroupLayout("purge-cluster", 1);
    private NodeStore store;
    private RaftHost host;

    private void start(int port) throws Exception {
        store = NodeStore.open(dir.resolve("rocksdb"), StorageOptions.defaults());
        NodeAddress self = new NodeAddress("n1", "127.0.0.1:" + port, "127.0.0.1:1");
        host = RaftHost.start(dir.resolve("raft"), self, TUNING, layout, store, clock, SnapshotSource.NONE);
        host.ensureGroup(0, List.of(self));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!host.isLeader(0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(host.isLeader(0), "single-node group elects itself");
    }

    private void stop() throws IOException {
        host.close();
        store.close();
        host = null;
    }

    @AfterEach
    void tearDown() throws IOException {
        if (host != null) {
            stop();
        }
    }

    private static WriteOp put(int i, String value) {
        return WriteOp.write(WriteKind.PUT, "test", "s", KeyDigest.compute("s", "k" + i),
                ExistsAction.CREATE_OR_UPDATE, 0, 0, false, Map.of("v", value), 1 << 20);
    }

    /** Bytes of the group's Raft log segments on disk. */
    private long logBytes() throws IOException {
        Path current = dir.resolve("raft").resolve(layout.raftGroupId(0).getUuid().toString()).resolve("current");
        try (var files = Files.list(current)) {
            return files.filter(f -> f.getFileName().toString().startsWith("log_"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    void logStaysBoundedAndRestartRecoversFromSnapshotPlusTail() throws Exception {
        int port = TestPorts.free();
        start(port);
        GroupWriter writer = new GroupWriter(0, host, clock, TUNING, (c, raw, encoded) -> { });
        Random random = new Random(42);
        int writes = 3_000;
        long written = 0;
        long maxLog = 0;
        for (int i = 0; i < writes; i++) {
            // Random text does not compress: each entry costs about 1 KiB of log.
            byte[] bytes = new byte[768];
            random.nextBytes(bytes);
            String value = java.util.Base64.getEncoder().encodeToString(bytes);
            assertEquals(ResultCode.OK, writer.submit(WriteCommands.toCommand(put(i % 1000, value))).get().code());
            written += value.length();
            if (i % 100 == 0) {
                maxLog = Math.max(maxLog, logBytes());
            }
        }
        PartitaStateMachine sm = host.stateMachine(0).orElseThrow();
        assertNotNull(sm.getLatestSnapshot(), "a snapshot was taken");
        assertTrue(host.division(0).getRaftLog().getStartIndex() > 1000, "log purged up to a recent snapshot");
        // Without purge the log would hold every entry (about 3 MB); with it, a few snapshot intervals' worth.
        long bound = 6 * EVERY * 1100L + 2 * SEGMENT;
        assertTrue(maxLog < bound, "log reached " + maxLog + " bytes (bound " + bound + ", written " + written + ")");
        Map<Integer, String> expected = new java.util.HashMap<>();
        for (int k = 0; k < 1000; k++) {
            expected.put(k, (String) read(k).bins().get("v"));
        }

        stop();
        start(port);
        sm = host.stateMachine(0).orElseThrow();
        assertNotNull(sm.getLatestSnapshot(), "restart finds the snapshot");
        for (int k = 0; k < 1000; k++) {
            assertEquals(expected.get(k), read(k).bins().get("v"), "k" + k);
        }
        assertEquals(ResultCode.OK, new GroupWriter(0, host, clock, TUNING, (c, raw, encoded) -> { })
                .submit(WriteCommands.toCommand(put(0, "after restart"))).get().code());
    }

    private StoredRecord read(int k) {
        StoredRecord r = store.group(0).read("test", KeyDigest.compute("s", "k" + k), clock.nowMs());
        assertNotNull(r, "k" + k);
        return r;
    }
}
