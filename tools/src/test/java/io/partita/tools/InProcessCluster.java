package io.partita.tools;

import io.partita.engine.time.Clock;
import io.partita.protocol.testing.TestPorts;
import io.partita.server.Node;
import io.partita.server.config.NodeConfig;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Real nodes in this JVM for CLI tests: loopback ports chosen at run time, one data directory each, seeded with one
 * another, the cluster created with {@code partita cluster init} and awaited with {@code partita status}.
 */
public final class InProcessCluster implements AutoCloseable {
    private final List<Node> nodes = new ArrayList<>();
    private final List<NodeConfig> configs = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();

    private InProcessCluster() {
    }

    /** Starts {@code n} nodes holding namespace {@code test} with {@code rf} copies in {@code groups} groups. */
    public static InProcessCluster start(Path root, int n, int rf, int groups) throws Exception {
        InProcessCluster c = new InProcessCluster();
        try {
            int[] client = new int[n];
            int[] raft = new int[n];
            for (int i = 0; i < n; i++) {
                client[i] = TestPorts.free();
                raft[i] = TestPorts.free();
                c.addresses.add("127.0.0.1:" + client[i]);
            }
            for (int i = 0; i < n; i++) {
                List<String> seeds = new ArrayList<>(c.addresses);
                seeds.remove(i);
                NodeConfig config = config(root, "n" + (i + 1), client[i], raft[i], n == 1 ? List.of() : seeds, rf,
                        groups);
                c.configs.add(config);
                c.nodes.add(Node.start(config, Clock.SYSTEM));
            }
            if (n > 1) {
                CliRunner.Result init = CliRunner.run("cluster", "init", "--hosts", c.hosts());
                if (init.exitCode() != 0 && !init.err().contains(" was created")) {
                    throw new IllegalStateException("cluster init failed: " + init);
                }
            }
            c.awaitHealthy(Duration.ofSeconds(90));
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static NodeConfig config(Path root, String id, int clientPort, int raftPort, List<String> seeds, int rf,
                                     int groups) {
        NodeConfig base = NodeConfig.defaults(id, root.resolve(id));
        return base.withPorts(clientPort, raftPort, 0)
                .withRaftGroups(groups)
                .withSeeds(seeds)
                .withNamespaces(List.of(new NamespaceConfig("test", rf, 0, 1 << 20)))
                .withMemory(new NodeConfig.Memory(16 << 20, 16 << 20))
                .withRaft(base.raft().withElectionTimeouts(Duration.ofMillis(600), Duration.ofMillis(1200)));
    }

    /**
     * Starts one more node, {@code n<count+1>}, configured like the others and seeded with them, without adding it
     * to the cluster: it waits to join (for {@code partita node add}). Returns its client address.
     */
    public String startJoining(Path root) throws Exception {
        NodeConfig first = configs.get(0);
        String id = "n" + (nodes.size() + 1);
        NodeConfig config = config(root, id, TestPorts.free(), TestPorts.free(), List.copyOf(addresses),
                first.namespaces().get(0).replicationFactor(), first.raftGroups());
        configs.add(config);
        nodes.add(Node.start(config, Clock.SYSTEM));
        String address = "127.0.0.1:" + config.listen().clientPort();
        addresses.add(address);
        return address;
    }

    /** Waits until {@code partita status} reports every node up and caught up and every group led. */
    public void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CliRunner.Result last;
        do {
            last = CliRunner.run("status", "--hosts", hosts());
            if (last.exitCode() == 0) {
                return;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("the cluster did not become healthy within " + timeout + ": " + last);
    }

    /** Node {@code i} (0-based), as last started. */
    public Node node(int i) {
        return nodes.get(i);
    }

    /** Stops node {@code i} (0-based); its data stays for {@link #restart}. */
    public void stop(int i) {
        nodes.get(i).close();
    }

    /** Starts node {@code i} again with its data and ports. */
    public void restart(int i) throws Exception {
        nodes.set(i, Node.start(configs.get(i), Clock.SYSTEM));
    }

    /** The nodes' client addresses, comma-separated (for {@code --hosts}). */
    public String hosts() {
        return String.join(",", addresses);
    }

    public List<String> addresses() {
        return List.copyOf(addresses);
    }

    @Override
    public void close() {
        nodes.forEach(Node::close);
    }
}
