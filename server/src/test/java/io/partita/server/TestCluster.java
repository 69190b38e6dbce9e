package io.partita.server;

import io.grpc.ManagedChannel;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.engine.time.Clock;
import io.partita.protocol.ResultCode;
import io.partita.protocol.testing.TestCertificates;
import io.partita.protocol.testing.TestPorts;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.InitClusterRequest;
import io.partita.protocol.v1.InitClusterResponse;
import io.partita.protocol.v1.LoginRequest;
import io.partita.protocol.v1.LoginResponse;
import io.partita.protocol.v1.UsersGrpc;
import io.partita.server.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A cluster of real in-process nodes for tests: loopback, ports picked at runtime, each node in its own data
 * directory, created through the same {@code InitCluster} call the CLI uses.
 */
final class TestCluster implements AutoCloseable {
    static final Duration ELECTION_MIN = Duration.ofMillis(600);
    static final Duration ELECTION_MAX = Duration.ofMillis(1200);

    private final List<NodeConfig> configs;
    private final Node[] nodes;
    private final Clock clock;

    private TestCluster(List<NodeConfig> configs, Clock clock) {
        this.configs = configs;
        this.nodes = new Node[configs.size()];
        this.clock = clock;
    }

    /** Configs for {@code n} nodes with {@code rf} copies and {@code groups} Raft groups, each seeded with the others. */
    static List<NodeConfig> configs(Path root, int n, int rf, int groups) throws IOException {
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ports.add(new int[] {TestPorts.free(), TestPorts.free(), TestPorts.free()});
        }
        List<NodeConfig> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> seeds = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    seeds.add("127.0.0.1:" + ports.get(j)[0]);
                }
            }
            NodeConfig base = NodeConfig.defaults("n" + (i + 1), root.resolve("n" + (i + 1)));
            out.add(base.withPorts(ports.get(i)[0], ports.get(i)[1], ports.get(i)[2])
                    .withRaftGroups(groups)
                    .withNamespaces(List.of(new NodeConfig.NamespaceConfig("test", rf, 0, 1 << 20)))
                    .withRaft(base.raft().withElectionTimeouts(ELECTION_MIN, ELECTION_MAX))
                    .withSeeds(seeds));
        }
        return out;
    }

    /** Starts every node, creates the cluster and waits until every group has a leader. */
    static TestCluster start(Path root, int n, int rf, int groups) throws Exception {
        return start(root, n, rf, groups, c -> c);
    }

    /** As {@link #start(Path, int, int, int)}, with every node's config passed through {@code customize}. */
    static TestCluster start(Path root, int n, int rf, int groups,
                             java.util.function.UnaryOperator<NodeConfig> customize) throws Exception {
        return start(root, n, rf, groups, customize, Clock.SYSTEM);
    }

    /** As {@link #start(Path, int, int, int, java.util.function.UnaryOperator)}, every node on {@code clock}. */
    static TestCluster start(Path root, int n, int rf, int groups,
                             java.util.function.UnaryOperator<NodeConfig> customize, Clock clock) throws Exception {
        return launch(configs(root, n, rf, groups).stream().map(customize).toList(), n, clock);
    }

    /**
     * Configs for {@code n} nodes (each seeded with all the others), of which the first {@code initial} are started
     * and form the cluster; the others are left for the test to start ({@link #restart}) and add.
     */
    static TestCluster startFirst(Path root, int n, int initial, int rf, int groups) throws Exception {
        return startFirst(root, n, initial, rf, groups, c -> c);
    }

    /** As {@link #startFirst(Path, int, int, int, int)}, with every node's config passed through {@code customize}. */
    static TestCluster startFirst(Path root, int n, int initial, int rf, int groups,
                                  java.util.function.UnaryOperator<NodeConfig> customize) throws Exception {
        return launch(configs(root, n, rf, groups).stream().map(customize).toList(), initial, Clock.SYSTEM);
    }

    /** Starts the first {@code initial} nodes of {@code configs}, creates the cluster of them and waits for leaders. */
    private static TestCluster launch(List<NodeConfig> configs, int initial, Clock clock) throws Exception {
        TestCluster cluster = new TestCluster(configs, clock);
        try {
            for (int i = 0; i < initial; i++) {
                cluster.nodes[i] = Node.start(cluster.configs.get(i), cluster.clock);
            }
            InitClusterResponse r = init(cluster.clientAddress(0), cluster.clientAddresses().subList(0, initial),
                    channelsAs(cluster.configs.get(0)));
            if (r.getStatus().getCode() != ResultCode.OK.code()) {
                throw new IllegalStateException("cluster init failed: " + r.getStatus().getMessage());
            }
            cluster.awaitReady(Duration.ofSeconds(60));
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * A node config with TLS (a certificate from {@code ca} naming 127.0.0.1; client certificates optional) and
     * users and roles on ({@code security.enabled}).
     */
    static UnaryOperator<NodeConfig> withTlsAndUsers(TestCertificates ca) {
        return c -> {
            try {
                TestCertificates.Pair node = ca.issue(c.nodeId(), List.of("127.0.0.1"), Duration.ofDays(30));
                return c.withTls(NodeConfig.Tls.enabled(node.cert(), node.key(), ca.certFile()))
                        .withSecurity(NodeConfig.Security.enabledWithDefaults());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /**
     * With users and roles on: waits (up to 60 s) for the node that created user {@code admin} to hold its
     * password file, and returns the password once a login with it succeeds.
     */
    String awaitAdminPassword(ChannelFactory channels) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < size(); i++) {
                Path f = config(i).initialAdminPasswordFile();
                if (Files.exists(f)) {
                    String password = Files.readString(f).strip();
                    ManagedChannel ch = channels.forTarget(clientAddress(i)).build();
                    try {
                        LoginResponse r = UsersGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                                .login(LoginRequest.newBuilder().setUser("admin").setPassword(password).build());
                        if (r.getStatus().getCode() == ResultCode.OK.code()) {
                            return password;
                        }
                    } finally {
                        ch.shutdownNow();
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no node created the cluster's users within 60 s");
    }

    static InitClusterResponse init(String target, List<String> hosts) {
        return init(target, hosts, ChannelFactory.plaintext());
    }

    /** Channels that connect as the node of {@code config} does: with its certificate when it runs TLS. */
    static ChannelFactory channelsAs(NodeConfig config) {
        return config.tls().enabled() ? ChannelFactory.of(config.tls().settings()) : ChannelFactory.plaintext();
    }

    static InitClusterResponse init(String target, List<String> hosts, ChannelFactory channels) {
        ManagedChannel ch = channels.forTarget(target).build();
        try {
            return AdminGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .initCluster(InitClusterRequest.newBuilder().addAllHosts(hosts).build());
        } finally {
            ch.shutdownNow();
        }
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Node node : nodes) {
            if (node != null && !node.awaitReady(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                throw new IllegalStateException("node " + node.config().nodeId() + " has groups without a leader after "
                        + timeout);
            }
        }
    }

    int size() {
        return nodes.length;
    }

    Node node(int i) {
        return nodes[i];
    }

    NodeConfig config(int i) {
        return configs.get(i);
    }

    String clientAddress(int i) {
        return "127.0.0.1:" + configs.get(i).listen().clientPort();
    }

    List<String> clientAddresses() {
        return clientAddresses(configs);
    }

    /** The client addresses of the nodes of {@code configs}, in order. */
    static List<String> clientAddresses(List<NodeConfig> configs) {
        return configs.stream().map(c -> "127.0.0.1:" + c.listen().clientPort()).toList();
    }

    /** Stops node i as a clean shutdown would (its data stays). */
    void stop(int i) {
        if (nodes[i] != null) {
            nodes[i].close();
            nodes[i] = null;
        }
    }

    /** Starts node i again on its data directory. */
    Node restart(int i) throws IOException {
        nodes[i] = Node.start(configs.get(i), clock);
        return nodes[i];
    }

    /** Number of groups each node leads, by node index (stopped nodes lead none). */
    int[] leaderCounts() {
        int[] counts = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            Node node = nodes[i];
            if (node == null) {
                continue;
            }
            for (int g = 0; g < node.raft().layout().groupCount(); g++) {
                if (node.raft().isLeader(g)) {
                    counts[i]++;
                }
            }
        }
        return counts;
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            stop(i);
        }
    }
}
