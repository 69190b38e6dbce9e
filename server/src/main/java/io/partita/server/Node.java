package io.partita.server;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.StorageOptions;
import io.partita.engine.time.Clock;
import io.partita.raft.group.ClusterIdentity;
import io.partita.raft.group.GroupLayout;
import io.partita.raft.group.GroupWriter;
import io.partita.raft.group.NodeAddress;
import io.partita.raft.group.RaftHost;
import io.partita.raft.group.RaftTuning;
import io.partita.server.admin.AdminHttpServer;
import io.partita.server.config.NodeConfig;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import io.partita.server.frontend.ClusterMapView;
import io.partita.server.frontend.Namespaces;
import io.partita.server.frontend.RecordService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Partita node: RocksDB, the Ratis server with its groups, the gRPC client front end and the admin HTTP
 * listener, started in dependency order and closed in reverse.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final NodeConfig config;
    private final NodeStore store;
    private final RaftHost raft;
    private final ExecutorService batchExecutor;
    private final Server grpc;
    private final AdminHttpServer admin;

    private Node(NodeConfig config, NodeStore store, RaftHost raft, ExecutorService batchExecutor, Server grpc,
                 AdminHttpServer admin) {
        this.config = config;
        this.store = store;
        this.raft = raft;
        this.batchExecutor = batchExecutor;
        this.grpc = grpc;
        this.admin = admin;
    }

    /** Starts a node; returns once every listener is bound (groups may still be electing: see {@link #awaitReady}). */
    public static Node start(NodeConfig config, Clock clock) throws IOException {
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        checkSingleNodeReplication(config);
        ClusterIdentity identity = ClusterIdentity.loadOrCreate(dataDir, config.raftGroups());
        GroupLayout layout = new GroupLayout(identity.clusterId(), identity.groupCount());
        NodeConfig.Listen listen = config.listen();
        NodeAddress self = new NodeAddress(config.nodeId(), listen.address() + ":" + listen.raftPort(),
                listen.address() + ":" + listen.clientPort());

        NodeStore store = NodeStore.open(dataDir.resolve("rocksdb"),
                new StorageOptions(config.memory().writeBufferSize(), config.memory().blockCacheSize()));
        RaftTuning tuning = raftTuning(config.raft());
        RaftHost raft = null;
        ExecutorService batchExecutor = null;
        Server grpc = null;
        try {
            raft = RaftHost.start(dataDir.resolve("raft"), self, tuning, layout, store, clock);
            for (int g = 0; g < layout.groupCount(); g++) {
                raft.ensureGroup(g, List.of(self));
            }
            batchExecutor = Executors.newFixedThreadPool(2, daemonThreads("partita-batcher"));
            GroupWriter[] writers = new GroupWriter[layout.groupCount()];
            for (int g = 0; g < writers.length; g++) {
                writers[g] = new GroupWriter(g, raft, clock, tuning, batchExecutor,
                        (commands, raw, encoded) -> { });
            }
            Namespaces namespaces = new Namespaces(config.namespaces());
            Server[] bound = new Server[1];
            ClusterMapView map = new ClusterMapView(raft, namespaces,
                    () -> listen.address() + ":" + bound[0].getPort());
            grpc = NettyServerBuilder.forAddress(new InetSocketAddress(listen.address(), listen.clientPort()))
                    .addService(new RecordService(raft, writers, namespaces, clock, map))
                    // Room for the largest record plus protocol framing; larger requests are refused unread.
                    .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, namespaces.largestMaxRecordSize() + (1 << 20)))
                    .build()
                    .start();
            bound[0] = grpc;
            RaftHost readyRaft = raft;
            AdminHttpServer admin = AdminHttpServer.start(listen.address(), listen.adminPort(),
                    () -> allGroupsLed(readyRaft));
            LOG.info("Node {} serving clients on {}:{} (cluster {}, {} groups)", config.nodeId(), listen.address(),
                    grpc.getPort(), identity.clusterId(), layout.groupCount());
            return new Node(config, store, raft, batchExecutor, grpc, admin);
        } catch (IOException | RuntimeException e) {
            closeQuietly(grpc, batchExecutor, raft, store);
            throw e;
        }
    }

    private static void checkSingleNodeReplication(NodeConfig config) {
        for (NamespaceConfig ns : config.namespaces()) {
            if (ns.replicationFactor() > 1) {
                throw new IllegalStateException("namespace '" + ns.name() + "' asks for replication-factor "
                        + ns.replicationFactor() + ", but this node runs without a cluster (one copy at most);"
                        + " set replication-factor: 1");
            }
        }
    }

    static RaftTuning raftTuning(NodeConfig.RaftTuning c) {
        return new RaftTuning(c.electionTimeoutMin(), c.electionTimeoutMax(), c.logSync(), c.segmentSize(),
                c.batchMaxCommands(), c.batchMaxBytes());
    }

    private static boolean allGroupsLed(RaftHost raft) {
        for (int g = 0; g < raft.layout().groupCount(); g++) {
            if (raft.leaderOf(g).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Waits until every group has an elected leader; false if {@code timeout} passed first. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (allGroupsLed(raft)) {
                return true;
            }
            Thread.sleep(20);
        }
        return allGroupsLed(raft);
    }

    /** The bound client (gRPC) port; differs from the config when it asked for port 0. */
    public int clientPort() {
        return grpc.getPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public String clientAddress() {
        return config.listen().address() + ":" + clientPort();
    }

    public NodeConfig config() {
        return config;
    }

    /** The node's Raft host, for tests and tools that inspect groups. */
    public RaftHost raft() {
        return raft;
    }

    @Override
    public void close() {
        admin.close();
        closeQuietly(grpc, batchExecutor, raft, store);
        LOG.info("Node {} stopped", config.nodeId());
    }

    private static void closeQuietly(Server grpc, ExecutorService batchExecutor, RaftHost raft, NodeStore store) {
        if (grpc != null) {
            grpc.shutdown();
            try {
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            grpc.shutdownNow();
        }
        if (raft != null) {
            try {
                raft.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Error stopping Ratis", e);
            }
        }
        if (batchExecutor != null) {
            batchExecutor.shutdownNow();
        }
        if (store != null) {
            store.close();
        }
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
