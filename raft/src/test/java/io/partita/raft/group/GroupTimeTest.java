package io.partita.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.record.StoredRecord;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.StorageOptions;
import io.partita.engine.time.ManualClock;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import io.partita.protocol.testing.TestPorts;
import io.partita.raft.command.WriteCommands;
import io.partita.raft.snapshot.SnapshotSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time never runs backwards inside a group: a real single-node Ratis server over real RocksDB whose clock steps back,
 * in the same process and across a restart (as a failover to a node whose clock is behind looks to the group).
 */
class GroupTimeTest {
    private static final RaftTuning TUNING = new RaftTuning(Duration.ofMillis(300), Duration.ofMillis(600), true,
            8L << 20, 256, 1L << 20, (1L << 20) + 4096, 100_000, 32L << 20);
    private static final long T0 = 1_800_000_000_000L;
    private static final long TTL_MS = 10_000;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private NodeStore store;
    private RaftHost host;
    private GroupWriter writer;

    private void start(int raftPort) throws Exception {
        store = NodeStore.open(dir.resolve("rocksdb"), StorageOptions.defaults());
        NodeAddress self = new NodeAddress("n1", "127.0.0.1:" + raftPort, "127.0.0.1:1");
        host = RaftHost.start(dir.resolve("raft"), self, TUNING, new GroupLayout("test-cluster", 1), store, clock,
                SnapshotSource.NONE);
        host.ensureGroup(0, List.of(self));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!host.isLeader(0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(host.isLeader(0), "a single-node group elects itself");
        writer = new GroupWriter(0, host, host.groupClock(0), TUNING, (c, raw, encoded) -> { });
    }

    private void stop() throws IOException {
        host.close();
        host = null;
        store.close();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (host != null) {
            stop();
        }
    }

    /** A put with a TTL computed as the front end does: from the group's clock. */
    private WriteOutcome put(String key, long ttlMs) throws Exception {
        long voidTime = ttlMs == 0 ? 0 : host.groupClock(0).nowMs() + ttlMs;
        WriteOp op = WriteOp.write(WriteKind.PUT, "test", "s", KeyDigest.compute("s", key),
                ExistsAction.CREATE_OR_UPDATE, 0, voidTime, false, Map.of("v", 1L), 1 << 20);
        WriteOutcome outcome = writer.submit(WriteCommands.toCommand(op)).get();
        assertEquals(ResultCode.OK, outcome.code(), key);
        return outcome;
    }

    private StoredRecord read(String key) throws Exception {
        return RaftHostTest.read(host, key);
    }

    @Test
    void anExpiredRecordStaysExpiredWhenTheClockStepsBack() throws Exception {
        start(TestPorts.free());
        put("ttl", TTL_MS);
        assertNotNull(read("ttl"));
        clock.setMs(T0 + 2 * TTL_MS);
        put("later", 0);
        assertNull(read("ttl"), "expired at T0 + 2 TTL");
        long lastUpdate = read("later").lastUpdateMs();

        clock.setMs(T0 + TTL_MS / 2); // NTP steps the clock back
        assertNull(read("ttl"), "a record that read as expired must not read as present again");
        put("after-step", 0);
        long after = read("after-step").lastUpdateMs();
        assertTrue(after >= lastUpdate, "last-update time went back from " + lastUpdate + " to " + after);
        put("ttl-after-step", TTL_MS);
        assertTrue(read("ttl-after-step").voidTimeMs() >= T0 + 3 * TTL_MS,
                "an expiry computed after the step starts from the group's time, not the clock's");
    }

    @Test
    void groupTimeSurvivesARestartWithAClockThatIsBehind() throws Exception {
        int port = TestPorts.free();
        start(port);
        put("ttl", TTL_MS);
        clock.setMs(T0 + 2 * TTL_MS);
        put("later", 0);
        assertNull(read("ttl"));
        long lastUpdate = read("later").lastUpdateMs();
        stop();

        // The next leader's clock is behind the time the group already reached.
        clock.setMs(T0 + TTL_MS / 2);
        start(port);
        assertTrue(host.groupClock(0).nowMs() >= T0 + 2 * TTL_MS,
                "group clock " + host.groupClock(0).nowMs() + " is below the applied log's time");
        assertNull(read("ttl"), "a record that read as expired must not read as present again");
        put("after-restart", 0);
        long after = read("after-restart").lastUpdateMs();
        assertTrue(after >= lastUpdate, "last-update time went back from " + lastUpdate + " to " + after);
    }
}
