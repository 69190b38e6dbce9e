package io.partita.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.StorageOptions;
import io.partita.engine.time.ManualClock;
import io.partita.protocol.testing.TestPorts;
import io.partita.raft.snapshot.SnapshotSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RaftHost#ensureGroups}: every group requested at once, one that cannot be added does not stop the rest. */
class EnsureGroupsTest {
    private static final RaftTuning TUNING = new RaftTuning(Duration.ofMillis(300), Duration.ofMillis(600), true,
            8L << 20, 256, 1L << 20, (1L << 20) + 4096, 100_000, 32L << 20);
    private static final int GROUPS = 6;

    @TempDir
    Path dir;

    private NodeStore store;
    private RaftHost host;
    private NodeAddress self;

    @BeforeEach
    void start() throws IOException {
        store = NodeStore.open(dir.resolve("rocksdb"), StorageOptions.defaults());
        self = new NodeAddress("n1", "127.0.0.1:" + TestPorts.free(), "127.0.0.1:1");
        host = RaftHost.start(dir.resolve("raft"), self, TUNING, new GroupLayout("test-cluster", GROUPS), store,
                new ManualClock(1_800_000_000_000L), SnapshotSource.NONE);
    }

    @AfterEach
    void stop() throws IOException {
        host.close();
        store.close();
    }

    private Map<Integer, List<NodeAddress>> allGroups() {
        Map<Integer, List<NodeAddress>> groups = new LinkedHashMap<>();
        for (int g = 0; g < GROUPS; g++) {
            groups.put(g, List.of(self));
        }
        return groups;
    }

    @Test
    void aGroupThatCannotBeAddedDoesNotKeepTheOthersFromBeingAddedAndServed() throws Exception {
        // A file where Ratis would create group 2's directory: its replica cannot be created (as on a failing disk).
        Path blocked = RaftHost.groupDirectory(dir.resolve("raft"), host.layout().raftGroupId(2));
        Files.createDirectories(blocked.getParent());
        Files.writeString(blocked, "not a directory");
        List<Integer> hosted = new ArrayList<>();

        IOException e = assertThrows(IOException.class, () -> host.ensureGroups(allGroups(), hosted::add));

        assertTrue(e.getMessage().contains("Raft group 2:") && e.getMessage().contains("1 of " + GROUPS),
                e.getMessage());
        assertEquals(List.of(0, 1, 3, 4, 5), hosted, "the groups after the failed one are added and served too");
        for (int g : hosted) {
            assertTrue(host.hosts(host.layout().raftGroupId(g)), "hosts group " + g);
        }
        assertFalse(host.hosts(host.layout().raftGroupId(2)));
        awaitLeaders(hosted);

        // Once the fault is gone, the next call adds it; the groups hosted already are reported as hosted again.
        Files.delete(blocked);
        hosted.clear();
        host.ensureGroups(allGroups(), hosted::add);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), hosted);
        awaitLeaders(hosted);
    }

    private void awaitLeaders(List<Integer> groups) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!groups.stream().allMatch(host::isLeader) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        for (int g : groups) {
            assertTrue(host.isLeader(g), "single-replica group " + g + " elects its replica");
        }
    }
}
