package io.partita.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.StorageOptions;
import io.partita.engine.time.Clock;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import io.partita.protocol.testing.TestPorts;
import io.partita.raft.command.WriteCommands;
import io.partita.raft.command.proto.WriteCommand;
import io.partita.raft.snapshot.SnapshotSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes submitted under a {@link GroupWriter#hold()} leave together in one log entry, even when the writer drains on
 * the submitting thread (where, unheld, the first write would leave alone). A real single-node Ratis group.
 */
class GroupWriterHoldTest {
    private static final RaftTuning TUNING = new RaftTuning(Duration.ofMillis(300), Duration.ofMillis(600), true,
            8L << 20, 256, 1L << 20, (1L << 20) + 4096, 100_000, 32L << 20);

    @TempDir
    Path dir;

    private NodeStore store;
    private RaftHost host;
    private final List<Integer> entries = new CopyOnWriteArrayList<>();
    private GroupWriter writer;

    @BeforeEach
    void start() throws Exception {
        store = NodeStore.open(dir.resolve("rocksdb"), StorageOptions.defaults());
        NodeAddress self = new NodeAddress("n1", "127.0.0.1:" + TestPorts.free(), "127.0.0.1:1");
        host = RaftHost.start(dir.resolve("raft"), self, TUNING, new GroupLayout("test-cluster", 1), store,
                Clock.SYSTEM, SnapshotSource.NONE);
        host.ensureGroup(0, List.of(self));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!host.isLeader(0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(host.isLeader(0), "a single-node group elects itself");
        // A direct executor: the writer drains on the submitting thread, the hardest case for packing.
        writer = new GroupWriter(0, host, host.groupClock(0), TUNING, (c, raw, encoded) -> entries.add(c));
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
        store.close();
    }

    private static WriteCommand put(String key) {
        return WriteCommands.toCommand(WriteOp.write(WriteKind.PUT, "test", "s", KeyDigest.compute("s", key),
                ExistsAction.CREATE_OR_UPDATE, 0, 0, false, Map.of("v", 1L), 1 << 20));
    }

    private List<WriteOutcome> submit(int count, String prefix, boolean held) throws Exception {
        List<CompletableFuture<WriteOutcome>> results = new ArrayList<>();
        GroupWriter.Hold hold = held ? writer.hold() : null;
        try {
            for (int i = 0; i < count; i++) {
                results.add(writer.submit(put(prefix + i)));
            }
            if (held) {
                assertTrue(entries.isEmpty(), "nothing leaves while held: " + entries);
            }
        } finally {
            if (hold != null) {
                hold.close();
                hold.close(); // a second release changes nothing
            }
        }
        List<WriteOutcome> outcomes = new ArrayList<>();
        for (CompletableFuture<WriteOutcome> r : results) {
            outcomes.add(r.get(20, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    @Test
    void heldWritesLeaveInOneEntry() throws Exception {
        List<WriteOutcome> outcomes = submit(5, "held-", true);
        outcomes.forEach(o -> assertEquals(ResultCode.OK, o.code()));
        assertEquals(List.of(5), entries);
    }

    @Test
    void unheldTheFirstWriteLeavesAlone() throws Exception {
        // The contrast that makes the hold necessary (and this test's setup meaningful).
        submit(5, "free-", false).forEach(o -> assertEquals(ResultCode.OK, o.code()));
        assertEquals(1, entries.get(0), "entries: " + entries);
        assertEquals(5, entries.stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void writesOfOtherThreadsWaitForTheReleaseAndThenLeave() throws Exception {
        GroupWriter.Hold hold = writer.hold();
        CompletableFuture<WriteOutcome> other = CompletableFuture.supplyAsync(() -> writer.submit(put("other")))
                .thenCompose(f -> f);
        Thread.sleep(200);
        assertTrue(!other.isDone() && entries.isEmpty(), "a write left while the writer was held");
        hold.close();
        assertEquals(ResultCode.OK, other.get(20, TimeUnit.SECONDS).code());
        assertEquals(List.of(1), entries);
    }
}
