package io.partita.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.StorageFaults;
import io.partita.engine.storage.StorageOptions;
import io.partita.engine.time.ManualClock;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import io.partita.protocol.testing.TestPorts;
import io.partita.raft.command.CommandCodec;
import io.partita.raft.command.WriteCommands;
import io.partita.raft.command.proto.ReadQuery;
import io.partita.raft.command.proto.ReadResult;
import io.partita.raft.snapshot.SnapshotSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.raftlog.RaftLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real single-node Ratis server over real RocksDB: batching, the LZ4 log, reads, restart and replay. */
class RaftHostTest {
    private static final RaftTuning TUNING = new RaftTuning(Duration.ofMillis(300), Duration.ofMillis(600), true,
            8L << 20, 256, 1L << 20, (1L << 20) + 4096, 100_000, 32L << 20);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private NodeStore store;
    private RaftHost host;
    private GroupWriter writer;
    private final AtomicInteger entries = new AtomicInteger();
    private final AtomicInteger commands = new AtomicInteger();

    private void start(int raftPort) throws Exception {
        store = NodeStore.open(dir.resolve("rocksdb"), StorageOptions.defaults());
        NodeAddress self = new NodeAddress("n1", "127.0.0.1:" + raftPort, "127.0.0.1:1");
        GroupLayout layout = new GroupLayout("test-cluster", 2);
        host = RaftHost.start(dir.resolve("raft"), self, TUNING, layout, store, clock, SnapshotSource.NONE);
        host.ensureGroup(0, List.of(self));
        host.ensureGroup(1, List.of(self));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(host.isLeader(0) && host.isLeader(1)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(host.isLeader(0) && host.isLeader(1), "single-node groups elect themselves");
        writer = new GroupWriter(0, host, clock, TUNING, (c, raw, encoded) -> {
            entries.incrementAndGet();
            commands.addAndGet(c);
        });
    }

    private void stop() throws IOException {
        host.close();
        store.close();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (host != null) {
            stop();
        }
    }

    private static WriteOp put(String key, Map<String, Object> bins) {
        return WriteOp.write(WriteKind.PUT, "test", "s", KeyDigest.compute("s", key), ExistsAction.CREATE_OR_UPDATE, 0, 0,
                false, bins, 1 << 20);
    }

    private StoredRecord read(String key) throws Exception {
        return read(host, key);
    }

    /** A linearizable read of {@code key} (namespace test, set s) from group 0 through {@code host}. */
    static StoredRecord read(RaftHost host, String key) throws Exception {
        byte[] query = ReadQuery.newBuilder().setNamespace("test")
                .setDigest(com.google.protobuf.ByteString.copyFrom(KeyDigest.compute("s", key))).build().toByteArray();
        RaftClientReply reply = host.submit(0, query, true).get();
        assertTrue(reply.isSuccess(), () -> "read failed: " + reply.getException());
        ReadResult r = ReadResult.parseFrom(reply.getMessage().getContent().toByteArray());
        return r.getRecord().isEmpty() ? null : RecordCodec.decode(r.getRecord().toByteArray());
    }

    /**
     * A restarted node is found by each leader within a second, however long it was down: the leader's wait between
     * attempts to reach a failed follower never exceeds 750 ms (500 ms +50% jitter) and it never gives up. Ratis's
     * default waits up to 7.5 s after 30 failures, which is how long a restarted node took to become ready.
     */
    @Test
    void leadersRetryAFailedFollowerAtLeastEverySecondForever() throws Exception {
        start(TestPorts.free());
        RetryPolicy policy = RetryPolicy.parse(RaftServerConfigKeys.Log.Appender.retryPolicy(
                host.division(0).getRaftServer().getProperties()));
        for (int failures = 1; failures <= 1_000_000; failures = failures < 100 ? failures + 1 : failures * 2) {
            int attempt = failures;
            RetryPolicy.Action action = policy.handleAttemptFailure(() -> attempt);
            assertTrue(action.shouldRetry(), "gives up on a follower after " + failures + " failures");
            long sleepMs = action.getSleepTime().toLong(TimeUnit.MILLISECONDS);
            assertTrue(sleepMs <= 750, "waits " + sleepMs + " ms after " + failures + " failures");
        }
    }

    @Test
    void concurrentWritesAreBatchedIntoFewerEntriesAndReadBack() throws Exception {
        start(TestPorts.free());
        List<CompletableFuture<WriteOutcome>> futures = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            futures.add(writer.submit(WriteCommands.toCommand(put("k" + i, Map.of("i", (long) i)))));
        }
        for (CompletableFuture<WriteOutcome> f : futures) {
            assertEquals(ResultCode.OK, f.get().code());
        }
        assertEquals(500, commands.get());
        assertTrue(entries.get() < 250, "500 queued writes should share log entries, took " + entries.get());
        assertEquals(Map.of("i", 123L), read("k123").bins());
    }

    @Test
    void logEntriesOnDiskAreLz4CompressedBatches() throws Exception {
        start(TestPorts.free());
        String compressible = "partita ".repeat(1000);
        assertEquals(ResultCode.OK, writer.submit(WriteCommands.toCommand(put("big", Map.of("v", compressible))))
                .get().code());
        RaftLog log = host.division(0).getRaftLog();
        boolean found = false;
        for (long i = log.getStartIndex(); i <= log.getLastEntryTermIndex().getIndex(); i++) {
            LogEntryProto e = log.get(i);
            if (e != null && e.hasStateMachineLogEntry()) {
                var stored = e.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
                int raw = CommandCodec.rawLength(stored);
                assertTrue(stored.remaining() * 5 < raw, "stored " + stored.remaining() + " raw " + raw);
                assertEquals(compressible, WriteCommands.toOp(CommandCodec.decode(stored).getCommands(0)).bins().get("v"));
                found = true;
            }
        }
        assertTrue(found, "the write's log entry is in the log");
    }

    @Test
    void restartReplaysTheLogWithoutApplyingAnyEntryTwice() throws Exception {
        int port = TestPorts.free();
        start(port);
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, writer.submit(WriteCommands.toCommand(put("counter", Map.of("v", (long) i))))
                    .get().generation());
        }
        long appliedBefore = store.group(0).appliedPosition().index();
        stop();
        host = null;
        start(port);
        // Ratis replays the log on start; entries already in RocksDB must not bump the generation again.
        StoredRecord r = read("counter");
        assertEquals(5, r.generation());
        assertEquals(4L, r.bins().get("v"));
        assertTrue(store.group(0).appliedPosition().index() >= appliedBefore);
        assertEquals(6, writer.submit(WriteCommands.toCommand(put("counter", Map.of("v", 5L)))).get().generation());
    }

    /**
     * An apply that fails (a real RocksDB error: the group's column family is dropped under the replica, so RocksDB
     * refuses every write to it) must stop the replica before its applied index moves. Ratis's StateMachineUpdater
     * moves its applied index past an entry whose apply returned a failed future and goes on with the next one
     * (that replica would silently miss the entry); only an exception thrown by applyTransaction stops the group's
     * apply loop with the index unmoved and closes the replica. So this fails if the state machine returned a
     * failed future (index moves, replica stays open) or swallowed the error (index moves, write acknowledged).
     */
    @Test
    void anApplyThatThrowsStopsTheReplicaWithoutAdvancingItsAppliedIndex() throws Exception {
        int port = TestPorts.free();
        start(port);
        assertEquals(ResultCode.OK, writer.submit(WriteCommands.toCommand(put("before", Map.of("v", 1L)))).get().code());
        RaftServer.Division division = host.division(0);
        long applied = division.getInfo().getLastAppliedIndex();
        long stored = store.group(0).appliedPosition().index();
        assertTrue(host.replicaHealth(0).running());

        StorageFaults.dropColumnFamily(store.group(0));
        CompletableFuture<WriteOutcome> during = writer.submit(WriteCommands.toCommand(put("during", Map.of("v", 2L))));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (host.replicaHealth(0).running() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        ReplicaHealth health = host.replicaHealth(0);
        assertEquals(ReplicaHealth.State.STOPPED, health.state(), health::toString);
        assertTrue(health.detail().contains("applying log entry"), health::detail);
        // The state machine records the failure before it throws; Ratis closes the replica just after.
        while (division.getInfo().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(division.getInfo().isAlive(), "Ratis closes a replica whose apply threw");
        assertTrue(division.getRaftLog().getLastCommittedIndex() > applied, "the failed entry was committed");
        assertEquals(applied, division.getInfo().getLastAppliedIndex(), "Ratis's applied index moved past the failure");
        assertEquals(applied, host.stateMachine(0).orElseThrow().getLastAppliedTermIndex().getIndex());
        assertEquals(stored, store.group(0).appliedPosition().index(), "RocksDB's applied position moved");
        try {
            assertNotEquals(ResultCode.OK, during.get(10, TimeUnit.SECONDS).code(), "a write that was never applied"
                    + " was acknowledged");
        } catch (ExecutionException | TimeoutException e) {
            // Not acknowledged: as it must be.
        }
        assertFalse(host.isLeader(0), "a stopped replica does not lead");
        // The node's other groups go on.
        assertTrue(host.replicaHealth(1).running());
        assertTrue(host.isLeader(1));

        // A restart applies the log again (here from the start: the column family is gone), the failed entry with it.
        stop();
        host = null;
        start(port);
        assertTrue(host.replicaHealth(0).running());
        assertEquals(Map.of("v", 1L), read("before").bins());
        assertEquals(Map.of("v", 2L), read("during").bins());
    }
}
