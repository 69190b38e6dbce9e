package io.partita.server;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.GroupStatus;
import io.partita.protocol.v1.InitClusterResponse;
import io.partita.protocol.v1.NodeStatusRequest;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A cluster of nodes that are separate OS processes, for kill -9 and SIGSTOP tests. */
final class ProcessCluster implements AutoCloseable {
    private final List<NodeConfig> configs;
    private final NodeProcess[] nodes;
    /** The Raft network the test can cut, or null if the nodes talk directly. */
    private PartitionProxy network;

    private ProcessCluster(List<NodeConfig> configs) {
        this.configs = new java.util.ArrayList<>(configs);
        this.nodes = new NodeProcess[configs.size()];
    }

    static ProcessCluster start(Path root, int n, int rf, int groups) throws Exception {
        return start(root, n, rf, groups, c -> c);
    }

    /** As {@link #start(Path, int, int, int)}, with every node's config passed through {@code customize}. */
    static ProcessCluster start(Path root, int n, int rf, int groups,
                                java.util.function.UnaryOperator<NodeConfig> customize) throws Exception {
        return start(root, n, rf, groups, customize, List.of());
    }

    /** As {@link #start(Path, int, int, int, java.util.function.UnaryOperator)}, every JVM started with {@code jvm}. */
    static ProcessCluster start(Path root, int n, int rf, int groups,
                                java.util.function.UnaryOperator<NodeConfig> customize, List<String> jvm)
            throws Exception {
        ProcessCluster cluster = new ProcessCluster(TestCluster.configs(root, n, rf, groups).stream()
                .map(customize).toList());
        try {
            cluster.launchAndInit(jvm);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Configs for {@code n} nodes (each seeded with all the others), of which the first {@code initial} are launched
     * and form the cluster; the others are left for the test to launch ({@link #launch}) and add.
     */
    static ProcessCluster startFirst(Path root, int n, int initial, int rf, int groups,
                                     java.util.function.UnaryOperator<NodeConfig> customize) throws Exception {
        ProcessCluster cluster = new ProcessCluster(TestCluster.configs(root, n, rf, groups).stream()
                .map(customize).toList());
        try {
            cluster.launchAndInit(List.of(), initial);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Launches every node, creates the cluster once they listen, and waits until each is ready. */
    private void launchAndInit(List<String> jvm) throws Exception {
        launchAndInit(jvm, nodes.length);
    }

    /** Launches the first {@code count} nodes, creates the cluster of them and waits until each is ready. */
    private void launchAndInit(List<String> jvm, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            nodes[i] = new NodeProcess(configs.get(i), jvm).launch();
        }
        InitClusterResponse r = initWhenListening(this, count);
        if (r.getStatus().getCode() != ResultCode.OK.code()) {
            throw new IllegalStateException("cluster init failed: " + r.getStatus().getMessage());
        }
        for (int i = 0; i < count; i++) {
            nodes[i].awaitReady();
        }
    }

    /**
     * As {@link #start(Path, int, int, int)}, with every node's Raft traffic passing through a {@link PartitionProxy}:
     * each node advertises (listen.advertise-raft-address) its proxy's port instead of its raft-port.
     */
    static ProcessCluster startPartitionable(Path root, int n, int rf, int groups) throws Exception {
        int[] proxyPorts = new int[n];
        for (int i = 0; i < n; i++) {
            proxyPorts[i] = io.partita.protocol.testing.TestPorts.free();
        }
        ProcessCluster cluster = new ProcessCluster(TestCluster.configs(root, n, rf, groups).stream()
                .map(c -> c.withListen(new NodeConfig.Listen(c.listen().address(), c.listen().clientPort(),
                        c.listen().raftPort(), c.listen().adminPort(),
                        "127.0.0.1:" + proxyPorts[Integer.parseInt(c.nodeId().substring(1)) - 1])))
                .toList());
        int[] raftPorts = cluster.configs.stream().mapToInt(c -> c.listen().raftPort()).toArray();
        try {
            cluster.network = new PartitionProxy(proxyPorts, raftPorts, i -> {
                NodeProcess node = cluster.nodes[i];
                return node != null && node.alive() ? node.pid() : -1;
            });
            cluster.launchAndInit(List.of());
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The proxies the nodes' Raft traffic passes through; only for a cluster from {@link #startPartitionable}. */
    PartitionProxy network() {
        if (network == null) {
            throw new IllegalStateException("this cluster was not started with startPartitionable");
        }
        return network;
    }

    /** Waits until the first {@code count} nodes' client ports accept connections, then inits a cluster of them. */
    private static InitClusterResponse initWhenListening(ProcessCluster cluster, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < count; i++) {
            cluster.awaitListening(i, deadline);
        }
        return TestCluster.init(cluster.clientAddress(0), cluster.clientAddresses().subList(0, count));
    }

    /** Waits until node i's client port accepts connections (JVM start-up takes a while). */
    void awaitListening(int i, long deadlineNanos) throws InterruptedException {
        int port = configs.get(i).listen().clientPort();
        while (true) {
            try (java.net.Socket s = new java.net.Socket(configs.get(i).listen().advertisedHost(), port)) {
                return;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadlineNanos || !nodes[i].alive()) {
                    throw new IllegalStateException("node n" + (i + 1) + " does not listen on " + port + ":\n"
                            + nodes[i].logTail());
                }
                Thread.sleep(100);
            }
        }
    }

    NodeProcess node(int i) {
        return nodes[i];
    }

    int size() {
        return nodes.length;
    }

    String clientAddress(int i) {
        return configs.get(i).listen().advertisedHost() + ":" + configs.get(i).listen().clientPort();
    }

    List<String> clientAddresses() {
        return TestCluster.clientAddresses(configs);
    }

    /** Starts node i again (same config and data) and waits until it is ready. */
    void restart(int i) throws Exception {
        // Held before waiting, so that close() stops a node that never becomes ready instead of leaking it.
        nodes[i] = new NodeProcess(configs.get(i)).launch();
        nodes[i].awaitReady();
    }

    /** Starts node i again with its config changed by {@code change} (same data), without waiting for it to be ready. */
    NodeProcess launchChanged(int i, java.util.function.UnaryOperator<NodeConfig> change) throws Exception {
        configs.set(i, change.apply(configs.get(i)));
        return launch(i, List.of());
    }

    /** Starts node i again with extra JVM options, without waiting for it to become ready. */
    NodeProcess launch(int i, List<String> jvmOptions) throws Exception {
        nodes[i] = new NodeProcess(configs.get(i), jvmOptions).launch();
        return nodes[i];
    }

    NodeConfig config(int i) {
        return configs.get(i);
    }

    /** Index of the node leading {@code group} as the live nodes report it, or -1 if none does. */
    int leaderOf(int group) {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] == null || !nodes[i].alive()) {
                continue;
            }
            try {
                NodeStatusResponse status = status(i);
                for (GroupStatus g : status.getGroupsList()) {
                    if (g.getGroup() == group && g.getRole().equals("LEADER")) {
                        return i;
                    }
                }
            } catch (RuntimeException e) {
                // paused or down: ask the next node
            }
        }
        return -1;
    }

    /** Index of the node leading {@code group}, waiting up to 30 s for one. */
    int awaitLeader(int group) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            int leader = leaderOf(group);
            if (leader >= 0) {
                return leader;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("group " + group + " has no leader after 30 s");
    }

    /**
     * Waits until every node the plan lists runs exactly the data groups the plan places on it (no more, no fewer),
     * failing with the first difference after {@code timeout}. Nodes are found by their ids, n1 at index 0.
     */
    void awaitHostingAsPlanned(io.partita.protocol.v1.ClusterPlan plan, java.time.Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String difference;
        do {
            difference = null;
            for (io.partita.protocol.v1.PlanNode node : plan.getNodesList()) {
                int i = Integer.parseInt(node.getNodeId().substring(1)) - 1;
                java.util.Set<Integer> planned = new java.util.TreeSet<>();
                for (io.partita.protocol.v1.PlanGroup g : plan.getGroupsList()) {
                    if (g.getReplicaNodeIdsList().contains(node.getNodeId())) {
                        planned.add((int) g.getGroup());
                    }
                }
                java.util.Set<Integer> hosted = new java.util.TreeSet<>();
                try {
                    for (GroupStatus g : status(i).getGroupsList()) {
                        if (g.getReplicaState() != io.partita.protocol.v1.ReplicaState.REPLICA_MISSING) {
                            hosted.add((int) g.getGroup());
                        }
                    }
                } catch (RuntimeException e) {
                    difference = node.getNodeId() + " does not answer: " + e;
                    break;
                }
                if (!planned.equals(hosted)) {
                    difference = node.getNodeId() + " runs " + hosted + ", the plan (version " + plan.getVersion()
                            + ") places " + planned;
                    break;
                }
            }
            if (difference != null) {
                Thread.sleep(300);
            }
        } while (difference != null && System.nanoTime() < deadline);
        if (difference != null) {
            throw new AssertionError("hosting not as planned within " + timeout + ": " + difference);
        }
    }

    NodeStatusResponse status(int i) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(clientAddress(i)).usePlaintext().build();
        try {
            return AdminGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .nodeStatus(NodeStatusRequest.getDefaultInstance());
        } finally {
            ch.shutdownNow();
        }
    }

    @Override
    public void close() {
        for (NodeProcess node : nodes) {
            if (node != null) {
                node.close();
            }
        }
        if (network != null) {
            network.close();
        }
    }
}
