package io.partita.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.server.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLayoutTest {

    @Test
    void nodesGetTheirOwnDirectoryAndThreePorts() {
        LocalLayout l = new LocalLayout(Path.of("/tmp/x/../c"), 7300, 3);
        assertEquals(Path.of("/tmp/c"), l.root());
        assertEquals(Path.of("/tmp/c/n1"), l.nodeDir(1));
        assertEquals(Path.of("/tmp/c/n3"), l.nodeDir(3));
        assertEquals(List.of(7300, 7301, 7302), List.of(l.clientPort(1), l.raftPort(1), l.adminPort(1)));
        assertEquals(List.of(7306, 7307, 7308), List.of(l.clientPort(3), l.raftPort(3), l.adminPort(3)));
        assertEquals("n2", l.nodeId(2));
        assertThrows(IllegalArgumentException.class, () -> l.nodeId(4));
    }

    @Test
    void portsMustFit() {
        new LocalLayout(Path.of("d"), 65533, 1);
        assertThrows(IllegalArgumentException.class, () -> new LocalLayout(Path.of("d"), 65534, 1));
        assertThrows(IllegalArgumentException.class, () -> new LocalLayout(Path.of("d"), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LocalLayout(Path.of("d"), 7300, 0));
    }

    @Test
    void singleNodeConfigIsTheDefaultWithTheLayoutsPortsAndNoHandOff() {
        LocalLayout l = new LocalLayout(Path.of("/tmp/c"), 7400, 1);
        NodeConfig c = LocalCommand.newConfig(l, 1);
        // Ctrl-C stops every node of a local cluster at once: none hands leadership to another.
        assertEquals(NodeConfig.defaults("n1", Path.of("/tmp/c/n1")).withPorts(7400, 7401, 7402)
                .withStopHandOff(java.time.Duration.ZERO), c);
        assertTrue(c.seeds().isEmpty());
    }

    @Test
    void clusterNodesSeeEachOtherAndKeepUpToThreeCopies() {
        LocalLayout three = new LocalLayout(Path.of("/tmp/c"), 7300, 3);
        NodeConfig n2 = LocalCommand.newConfig(three, 2);
        assertEquals("n2", n2.nodeId());
        assertEquals(Path.of("/tmp/c/n2"), n2.dataDir());
        assertEquals(new NodeConfig.Listen("127.0.0.1", 7303, 7304, 7305), n2.listen());
        assertEquals(List.of("127.0.0.1:7300", "127.0.0.1:7306"), n2.seeds());
        assertEquals(3, n2.namespace("test").replicationFactor());

        assertEquals(2, LocalCommand.newConfig(new LocalLayout(Path.of("/tmp/c"), 7300, 2), 1)
                .namespace("test").replicationFactor());
        NodeConfig n9 = LocalCommand.newConfig(new LocalLayout(Path.of("/tmp/c"), 7300, 9), 9);
        assertEquals(3, n9.namespace("test").replicationFactor());
        assertEquals(8, n9.seeds().size());
        assertEquals(new NodeConfig.Listen("127.0.0.1", 7324, 7325, 7326), n9.listen());
    }

    @Test
    void existingNodesAreCountedFromN1(@TempDir Path dir) throws Exception {
        assertEquals(0, LocalCommand.existingNodeCount(dir));
        LocalLayout l = new LocalLayout(dir, 7300, 3);
        for (int i = 1; i <= 3; i++) {
            new LocalNode(l, i).writeConfig(LocalCommand.newConfig(l, i));
        }
        assertEquals(3, LocalCommand.existingNodeCount(dir));
        Files.delete(l.nodeDir(2).resolve("node.yaml"));
        assertEquals(1, LocalCommand.existingNodeCount(dir));
    }

    @Test
    void logTailReturnsTheLastLines(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("node.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            sb.append("line ").append(i).append('\n');
        }
        Files.writeString(log, sb);
        List<String> tail = LocalNode.tail(log, 20);
        assertEquals(20, tail.size());
        assertEquals("line 11", tail.get(0));
        assertEquals("line 30", tail.get(19));
        assertTrue(LocalNode.tail(dir.resolve("missing.log"), 20).isEmpty());
    }

    @Test
    void stalePidFileIsNotARunningNode(@TempDir Path dir) throws Exception {
        LocalNode node = new LocalNode(new LocalLayout(dir, 7300, 1), 1);
        Files.createDirectories(node.dir());
        assertTrue(node.runningPid().isEmpty());
        Files.writeString(node.pidFile(), "not a pid\n");
        assertTrue(node.runningPid().isEmpty());
        // This JVM is alive but is not a node process.
        Files.writeString(node.pidFile(), ProcessHandle.current().pid() + "\n");
        assertTrue(node.runningPid().isEmpty());
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            p.waitFor(0, java.util.concurrent.TimeUnit.MILLISECONDS);
            Files.writeString(node.pidFile(), p.pid() + "\n");
            assertTrue(node.runningPid().isEmpty(), "a live process that is not a node");
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        Files.writeString(node.pidFile(), p.pid() + "\n");
        assertTrue(node.runningPid().isEmpty(), "a dead process");
    }
}
