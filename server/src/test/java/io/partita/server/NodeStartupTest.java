package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.time.Clock;
import io.partita.server.config.NodeConfig;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up refusals that protect data: each names the setting and what to do. */
class NodeStartupTest {
    @TempDir
    Path dir;

    @Test
    void aReplicationFactorOneNodeCannotHonourIsRefused() throws Exception {
        NodeConfig config = TestNodes.config(dir).withNamespaces(List.of(new NamespaceConfig("test", 3, 0, 1 << 20)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Node.start(config, Clock.SYSTEM));
        assertTrue(e.getMessage().contains("replication-factor 3") && e.getMessage().contains("set replication-factor: 1"),
                e.getMessage());
    }

    @Test
    void changingRaftGroupsOnExistingDataIsRefusedAndTheDataStaysUsable() throws Exception {
        NodeConfig config = TestNodes.config(dir).withRaftGroups(16);
        try (Node node = TestNodes.startReady(config, Clock.SYSTEM)) {
            assertEquals(16, node.raft().layout().groupCount());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Node.start(config.withRaftGroups(32), Clock.SYSTEM));
        assertTrue(e.getMessage().contains("raft-groups: 16"), e.getMessage());
        try (Node node = TestNodes.startReady(config, Clock.SYSTEM)) {
            assertEquals(16, node.raft().layout().groupCount());
        }
        // auto adopts whatever the cluster was created with.
        try (Node node = TestNodes.startReady(config.withRaftGroups(NodeConfig.RAFT_GROUPS_AUTO), Clock.SYSTEM)) {
            assertEquals(16, node.raft().layout().groupCount());
        }
    }
}
