package io.partita.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partita.server.config.NodeConfig.Listen;
import io.partita.server.config.NodeConfig.Memory;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import io.partita.server.config.NodeConfig.RaftTuning;
import io.partita.server.config.NodeConfig.Rebalance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Configurations built in code are validated by the same rules as loaded ones. */
class NodeConfigTest {
    private static final NodeConfig BASE = NodeConfig.defaults("n1", Path.of("/tmp/p"));

    private static String error(Executable executable) {
        ConfigException e = assertThrows(ConfigException.class, executable);
        assertNull(e.source());
        return e.getMessage();
    }

    @Test
    void defaults() {
        assertEquals("n1", BASE.nodeId());
        assertEquals("partita", BASE.clusterName());
        assertEquals(new Listen("127.0.0.1", 7300, 7301, 7302), BASE.listen());
        assertEquals(Path.of("/tmp/p"), BASE.dataDir());
        assertEquals(NodeConfig.RAFT_GROUPS_AUTO, BASE.raftGroups());
        assertEquals(6, BASE.raftGroupsFor(3));
        assertEquals(4, BASE.withRaftGroups(4).raftGroupsFor(3));
        assertEquals("auto", BASE.raftGroupsText());
        assertEquals(List.of(new NamespaceConfig("test", 1, 0, 1L << 20)), BASE.namespaces());
        assertEquals(new Memory(256L << 20, 256L << 20), BASE.memory());
        assertEquals(Duration.ofSeconds(1), BASE.raft().electionTimeoutMin());
        assertEquals(Duration.ofSeconds(2), BASE.raft().electionTimeoutMax());
        assertEquals(true, BASE.raft().logSync());
        assertEquals(8L << 20, BASE.raft().segmentSize());
        assertEquals(256, BASE.raft().batchMaxCommands());
        assertEquals(1L << 20, BASE.raft().batchMaxBytes());
        assertEquals("", BASE.rack());
        assertEquals(new Rebalance(2, Duration.ofMinutes(30)), BASE.rebalance());
        assertEquals(Rebalance.defaults(), BASE.rebalance());
    }

    @Test
    void withersReplaceOneThing() {
        NodeConfig c = BASE.withPorts(0, 0, 0);
        assertEquals(new Listen("127.0.0.1", 0, 0, 0), c.listen());
        assertEquals(BASE.withListen(new Listen("127.0.0.1", 0, 0, 0)), c);
        assertEquals("x", BASE.withClusterName("x").clusterName());
        assertEquals(Path.of("d"), BASE.withDataDir(Path.of("d")).dataDir());
        assertEquals(4, BASE.withRaftGroups(4).raftGroups());
        assertEquals(new Memory(8L << 20, 8L << 20), BASE.withMemory(new Memory(8L << 20, 8L << 20)).memory());
        RaftTuning fast = RaftTuning.defaults().withLogSync(false)
                .withElectionTimeouts(Duration.ofMillis(100), Duration.ofMillis(200));
        assertEquals(new RaftTuning(Duration.ofMillis(100), Duration.ofMillis(200), false, 8L << 20, 256, 1L << 20),
                BASE.withRaft(fast).raft());
        assertEquals(BASE.listen(), BASE.withRaft(fast).listen());
        assertEquals("zone-a", BASE.withRack("zone-a").rack());
        assertEquals(BASE.rebalance(), BASE.withRack("zone-a").rebalance());
        assertEquals("zone-a", BASE.withRack("zone-a").withRaftGroups(4).rack());
        Rebalance fastMoves = new Rebalance(8, Duration.ofSeconds(45));
        assertEquals(fastMoves, BASE.withRebalance(fastMoves).rebalance());
        assertEquals(fastMoves, BASE.withRebalance(fastMoves).withListen(BASE.listen()).rebalance());
        assertEquals(BASE, BASE.withRack("zone-a").withRebalance(fastMoves).withRack("").withRebalance(Rebalance.defaults()));
    }

    @Test
    void namespacesAreCopiedAndImmutable() {
        List<NamespaceConfig> list = new ArrayList<>(List.of(NamespaceConfig.defaults("a")));
        NodeConfig c = BASE.withNamespaces(list);
        list.add(NamespaceConfig.defaults("b"));
        assertEquals(1, c.namespaces().size());
        assertThrows(UnsupportedOperationException.class, () -> c.namespaces().add(NamespaceConfig.defaults("c")));
        assertEquals(NamespaceConfig.defaults("a"), c.namespace("a"));
        assertNull(c.namespace("b"));
    }

    @Test
    void rejectsInvalidValuesBuiltInCode() {
        assertEquals("node-id: 'Bad' is not a valid node id (use 1-32 characters of a-z, 0-9 and -)",
                error(() -> NodeConfig.defaults("Bad", Path.of("d"))));
        assertEquals("node-id: is required", error(() -> NodeConfig.defaults(null, Path.of("d"))));
        assertEquals("data-dir: is required", error(() -> NodeConfig.defaults("n1", null)));
        assertEquals("data-dir: is empty (use e.g. ./data or /var/lib/partita)",
                error(() -> NodeConfig.defaults("n1", Path.of(""))));
        assertEquals("raft-groups: '-1' is out of range (must be 1..4096; or auto)", error(() -> BASE.withRaftGroups(-1)));
        assertEquals("listen: is required", error(() -> BASE.withListen(null)));
        assertEquals("client-port: '65536' is out of range (must be 0..65535; 0 = pick a free port)",
                error(() -> BASE.withPorts(65536, 0, 0)));
        assertEquals("admin-port: '9' is already the client-port (each port must be different, or 0 to pick a free one)",
                error(() -> BASE.withPorts(9, 0, 9)));
        assertEquals("address: '::' is a wildcard address, which clients and peers cannot connect to; keep it and"
                + " set advertise-address to this machine's host name or IP address, or use that as the address",
                error(() -> new Listen("::", 1, 2, 3)));
        assertEquals("advertise-address: '0.0.0.0' is a wildcard address; clients and peers need an address they can"
                + " connect to (use this machine's host name or IP address)",
                error(() -> new Listen("0.0.0.0", 1, 2, 3, null, "0.0.0.0")));
        assertEquals("namespaces: at least one namespace is required (e.g. - name: test)",
                error(() -> BASE.withNamespaces(List.of())));
        assertEquals("namespaces[1].name: 'a' is already the name of namespaces[0] (namespace names must be unique)",
                error(() -> BASE.withNamespaces(List.of(NamespaceConfig.defaults("a"), NamespaceConfig.defaults("a")))));
        assertEquals("default-ttl: '-1' is out of range (must be 0..3650d; 0 = never expire)",
                error(() -> new NamespaceConfig("a", 1, -1, 1L << 20)));
        assertEquals("max-record-size: '1023' is out of range (must be 1K..128M)",
                error(() -> new NamespaceConfig("a", 1, 0, 1023)));
        assertEquals("write-buffer: '7M' is out of range (must be 8M..64G)",
                error(() -> new Memory(7L << 20, 8L << 20)));
        assertEquals("election-timeout-min: 'PT0.0005S' must be a whole, non-negative number of milliseconds",
                error(() -> RaftTuning.defaults().withElectionTimeouts(Duration.ofNanos(500_000), Duration.ofSeconds(1))));
        assertEquals("election-timeout-max: '61s' is out of range (must be 100ms..1m)",
                error(() -> RaftTuning.defaults().withElectionTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(61))));
        assertEquals("election-timeout-min: '1s' must be less than election-timeout-max ('1s'); leaders are elected"
                + " reliably when the range is wide, e.g. 1s..2s",
                error(() -> RaftTuning.defaults().withElectionTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1))));
        assertEquals("election-timeout-max: is required",
                error(() -> RaftTuning.defaults().withElectionTimeouts(Duration.ofSeconds(1), null)));
        assertEquals("rack: is required", error(() -> BASE.withRack(null)));
        assertEquals("rack: 'a b' is not a valid rack label (use 0-64 characters of a-z, A-Z, 0-9, _, . and -)",
                error(() -> BASE.withRack("a b")));
        assertEquals("rack: '" + "z".repeat(65) + "' is not a valid rack label (use 0-64 characters of a-z, A-Z,"
                + " 0-9, _, . and -)", error(() -> BASE.withRack("z".repeat(65))));
        assertEquals("rebalance: is required", error(() -> BASE.withRebalance(null)));
        assertEquals("max-concurrent-moves: '0' is out of range (must be 1..64)",
                error(() -> new Rebalance(0, Duration.ofMinutes(30))));
        assertEquals("max-concurrent-moves: '65' is out of range (must be 1..64)",
                error(() -> new Rebalance(65, Duration.ofMinutes(30))));
        assertEquals("move-timeout: '9s' is out of range (must be 10s..7d)",
                error(() -> new Rebalance(2, Duration.ofSeconds(9))));
        assertEquals("move-timeout: '169h' is out of range (must be 10s..7d)",
                error(() -> new Rebalance(2, Duration.ofHours(169))));
        assertEquals("move-timeout: is required", error(() -> new Rebalance(2, null)));
    }

    @Test
    void exceptionMessageHasSourceAndPathWhenPresent() {
        assertEquals("f.yaml: a.b: bad", new ConfigException("f.yaml", "a.b", "bad").getMessage());
        assertEquals("a.b: bad", new ConfigException(null, "a.b", "bad").getMessage());
        assertEquals("f.yaml: bad", new ConfigException("f.yaml", "", "bad").getMessage());
        assertEquals("f.yaml: bad, really", new ConfigException("f.yaml", null, "bad,\n  really").getMessage());
        ConfigException located = new ConfigException(null, "name", "bad").located("f.yaml", "namespaces[2]");
        assertEquals("f.yaml: namespaces[2].name: bad", located.getMessage());
        assertEquals("namespaces[2].name", located.keyPath());
    }
}
