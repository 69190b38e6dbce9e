package io.partita.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.Limits;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterIdentityTest {
    @TempDir
    Path dir;

    @Test
    void groupCountIsFixedWhenTheDataDirectoryIsCreated() throws Exception {
        ClusterIdentity created = ClusterIdentity.loadOrCreate(dir, 16);
        assertEquals(created, ClusterIdentity.loadOrCreate(dir, 16), "the same identity on every start");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ClusterIdentity.loadOrCreate(dir, 32));
        assertTrue(e.getMessage().contains("raft-groups: 16"), e.getMessage());
        assertNotEquals(created.clusterId(), ClusterIdentity.loadOrCreate(dir.resolve("other"), 16).clusterId());
    }

    @Test
    void layoutDealsPartitionsEvenlyAndDerivesStableGroupIds() {
        GroupLayout layout = new GroupLayout("cluster-a", 16);
        int[] perGroup = new int[16];
        for (int p = 0; p < Limits.PARTITION_COUNT; p++) {
            perGroup[layout.groupOf(p)]++;
        }
        for (int count : perGroup) {
            assertEquals(Limits.PARTITION_COUNT / 16, count);
        }
        GroupLayout again = new GroupLayout("cluster-a", 16);
        GroupLayout other = new GroupLayout("cluster-b", 16);
        for (int g = 0; g < 16; g++) {
            assertEquals(layout.raftGroupId(g), again.raftGroupId(g));
            assertNotEquals(layout.raftGroupId(g), other.raftGroupId(g));
            assertEquals(g, layout.indexOf(layout.raftGroupId(g)));
        }
        assertEquals(-1, layout.indexOf(other.raftGroupId(0)));
        assertThrows(IllegalArgumentException.class, () -> new GroupLayout("c", 0));
        assertThrows(IllegalArgumentException.class, () -> new GroupLayout("c", Limits.PARTITION_COUNT + 1));
    }
}
