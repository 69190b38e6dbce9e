package io.partita.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.record.BinCodec;
import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.StorageOptions;
import io.partita.engine.time.ManualClock;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.RestorePolicy;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import io.partita.protocol.testing.TestPorts;
import io.partita.raft.snapshot.SnapshotSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front end's facade over a real single-node Ratis server on real RocksDB: writes of engine ops and linearizable
 * reads come back as typed outcomes, and a group this node cannot serve is NOT_LEADER, never an exception.
 */
class GroupOpsTest {
    private static final RaftTuning TUNING = new RaftTuning(Duration.ofMillis(300), Duration.ofMillis(600), true,
            8L << 20, 256, 1L << 20, (1L << 20) + 4096, 100_000, 32L << 20);
    private static final RaftGroupMemberId MEMBER = RaftGroupMemberId.valueOf(RaftPeerId.valueOf("n1"),
            RaftGroupId.randomId());

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private final AtomicLong entries = new AtomicLong();
    private NodeStore store;
    private RaftHost host;
    private GroupOps ops;

    /** Hosts groups 0 and 1 of three; only group 0 gets a writer, as a node that has not started serving group 1. */
    @BeforeEach
    void start() throws Exception {
        store = NodeStore.open(dir.resolve("rocksdb"), StorageOptions.defaults());
        NodeAddress self = new NodeAddress("n1", "127.0.0.1:" + TestPorts.free(), "127.0.0.1:1");
        host = RaftHost.start(dir.resolve("raft"), self, TUNING, new GroupLayout("test-cluster", 3), store, clock,
                SnapshotSource.NONE);
        host.ensureGroup(0, List.of(self));
        host.ensureGroup(1, List.of(self));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(host.isLeader(0) && host.isLeader(1)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(host.isLeader(0) && host.isLeader(1), "single-node groups elect themselves");
        GroupWriter writer = new GroupWriter(0, host, clock, TUNING, (c, raw, encoded) -> entries.addAndGet(c));
        ops = new GroupOps(host, g -> g == 0 ? writer : null);
    }

    @AfterEach
    void stop() throws IOException {
        if (host != null) {
            host.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static WriteOp put(String key, Map<String, Object> bins) {
        return WriteOp.write(WriteKind.PUT, "test", "s", KeyDigest.compute("s", key), ExistsAction.CREATE_OR_UPDATE, 0,
                0, false, bins, 1 << 20);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void writesEngineOpsAndReadsThemBackLinearizably() throws Exception {
        Map<String, Object> bins = Map.of("v", "hello");
        WriteOutcome first = get(ops.write(0, put("a", bins), BinCodec.encodeBins(bins), GroupWriter.WriteStages.NONE));
        assertEquals(new WriteOutcome(ResultCode.OK, 1, false), first);
        WriteOutcome second = get(ops.write(0, put("a", Map.of("n", 2L)), null, GroupWriter.WriteStages.NONE));
        assertEquals(new WriteOutcome(ResultCode.OK, 2, true), second);

        ReadOutcome found = get(ops.read(0, "test", KeyDigest.compute("s", "a")));
        assertEquals(ReadOutcome.Kind.FOUND, found.kind(), found::toString);
        StoredRecord record = RecordCodec.decode(found.record());
        assertEquals(2, record.generation());
        assertEquals(Map.of("v", "hello", "n", 2L), record.bins());

        ReadOutcome missing = get(ops.read(0, "test", KeyDigest.compute("s", "nobody")));
        assertEquals(ReadOutcome.Kind.NOT_FOUND, missing.kind(), missing::toString);
        assertNull(missing.record());
    }

    @Test
    void stagesAreToldWhenTheEntryLeavesAndIsAnswered() throws Exception {
        long[] marks = new long[2];
        GroupWriter.WriteStages stages = new GroupWriter.WriteStages() {
            @Override
            public void sent(long nanos) {
                marks[0] = nanos;
            }

            @Override
            public void replied(long nanos) {
                marks[1] = nanos;
            }
        };
        long before = System.nanoTime();
        assertEquals(ResultCode.OK, get(ops.write(0, put("b", Map.of("x", 1L)), null, stages)).code());
        assertTrue(marks[0] >= before && marks[1] >= marks[0], "sent " + marks[0] + ", replied " + marks[1]);
    }

    @Test
    void restoresABatchOfRecordsInOrder() throws Exception {
        StoredRecord record = new StoredRecord(7, 0L, 1_700_000_000_000L, Map.of("v", "old"));
        byte[] encoded = RecordCodec.encode(record);
        List<WriteOp> restores = List.of(
                WriteOp.restore("test", KeyDigest.compute("", "r1"),
                        new WriteOp.Restore(record, encoded, RestorePolicy.REPLACE)),
                WriteOp.restore("test", KeyDigest.compute("", "r1"),
                        new WriteOp.Restore(record, encoded, RestorePolicy.CREATE_ONLY)));
        List<CompletableFuture<WriteOutcome>> results = ops.writeAll(0, restores);
        assertEquals(ResultCode.OK, get(results.get(0)).code());
        // The second restore is applied after the first: the record exists, so create-only skips it.
        assertEquals(ResultCode.KEY_EXISTS, get(results.get(1)).code());
        ReadOutcome read = get(ops.read(0, "test", KeyDigest.compute("", "r1")));
        assertEquals(7, RecordCodec.decode(read.record()).generation());
    }

    @Test
    void aGroupWithoutAWriterHereIsNotLed() throws Exception {
        assertTrue(ops.leads(0));
        assertFalse(ops.leads(1), "group 1 has no writer on this node, though its replica leads");
        assertFalse(ops.leads(2), "no replica of group 2 here");
        assertEquals(WriteOutcome.failed(ResultCode.NOT_LEADER, false),
                get(ops.write(1, put("c", Map.of("x", 1L)), null, GroupWriter.WriteStages.NONE)));
        assertEquals(List.of(WriteOutcome.failed(ResultCode.NOT_LEADER, false)),
                ops.writeAll(2, List.of(put("c", Map.of("x", 1L)))).stream().map(CompletableFuture::join).toList());
        assertEquals(0, entries.get(), "nothing reached a log");
    }

    @Test
    void aReadOfAGroupNotLedHereIsNotLeader() throws Exception {
        assertEquals(ReadOutcome.Kind.NOT_LEADER, get(ops.read(2, "test", KeyDigest.compute("s", "a"))).kind());
    }

    @Test
    void leadershipIsTheReplicasViewOrEmptyWithoutAReplica() {
        GroupOps.Leadership l = ops.leadership(0).orElseThrow();
        assertEquals("n1", l.leaderId());
        assertTrue(l.term() >= 1, "term " + l.term());
        assertEquals(java.util.Optional.of("n1"), ops.leaderOf(0));
        assertTrue(ops.leadership(2).isEmpty());
        assertTrue(ops.leaderOf(2).isEmpty());
    }

    /** How Ratis's refusals and failures of a read query become outcomes (the exceptions Ratis completes with). */
    @Test
    void ratisReadFailuresAreTypedOutcomes() {
        NotLeaderException notLeader = new NotLeaderException(MEMBER, null, List.of());
        assertSame(ReadOutcome.Kind.NOT_LEADER, GroupOps.readOutcome(null, notLeader).kind());
        assertSame(ReadOutcome.Kind.NOT_LEADER,
                GroupOps.readOutcome(null, new CompletionException(notLeader)).kind());
        assertSame(ReadOutcome.Kind.NOT_LEADER,
                GroupOps.readOutcome(null, new LeaderNotReadyException(MEMBER)).kind());

        RaftException lost = new RaftException("leadership lost during ReadIndex");
        ReadOutcome unconfirmed = GroupOps.readOutcome(null, new CompletionException(lost));
        assertEquals(ReadOutcome.Kind.UNCONFIRMED, unconfirmed.kind());
        assertEquals(lost.toString(), unconfirmed.reason());

        IOException io = new IOException("disk gone");
        ReadOutcome failed = GroupOps.readOutcome(null, io);
        assertEquals(ReadOutcome.Kind.FAILED, failed.kind());
        assertSame(io, failed.error());
    }
}
