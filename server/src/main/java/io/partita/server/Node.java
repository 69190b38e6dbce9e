package io.partita.server;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.StorageOptions;
import io.partita.engine.time.Clock;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.raft.cluster.PlanFile;
import io.partita.raft.group.RaftHost;
import io.partita.raft.group.RaftTuning;
import io.partita.raft.group.ReplicaHealth;
import io.partita.server.admin.AdminHttpServer;
import io.partita.server.backup.GroupExporter;
import io.partita.server.config.NodeConfig;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import io.partita.server.cluster.AddressUpdater;
import io.partita.server.cluster.AdminService;
import io.partita.server.cluster.ClusterInitializer;
import io.partita.server.cluster.ClusterRuntime;
import io.partita.server.cluster.Leadership;
import io.partita.server.cluster.Membership;
import io.partita.server.cluster.NodeChanges;
import io.partita.server.cluster.Peers;
import io.partita.server.cluster.PlanChanges;
import io.partita.server.cluster.Rebalancer;
import io.partita.server.cluster.PlanHolder;
import io.partita.server.cluster.SeedWatcher;
import io.partita.server.frontend.ClusterMapView;
import io.partita.server.frontend.RecordCallExecutor;
import io.partita.server.frontend.Namespaces;
import io.partita.server.frontend.RecordService;
import io.partita.server.limits.CallLimiter;
import io.partita.server.limits.ConnectionLimiter;
import io.partita.server.limits.MalformedRequests;
import io.partita.server.metrics.NodeMetrics;
import io.partita.server.config.ConfigException;
import io.partita.server.security.AuditLog;
import io.partita.server.security.MemberGate;
import io.partita.server.security.NodeSecurity;
import io.partita.server.security.NodeTls;
import io.partita.server.snapshot.PeerSnapshotSource;
import io.partita.server.snapshot.SnapshotTransferService;
import io.partita.server.snapshot.SnapshotTransfers;
import io.partita.server.snapshot.TransferThrottle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
    private final Membership membership;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService adminCalls;
    private final Peers peers;
    private final Server grpc;
    private final AdminHttpServer admin;
    private final NodeMetrics metrics;
    private final PeerSnapshotSource snapshotSource;
    private final Leadership leadership;
    private final AuditLog audit;

    private Node(NodeConfig config, NodeStore store, Membership membership,
                 ScheduledExecutorService scheduler, ExecutorService adminCalls, Peers peers, Server grpc,
                 AdminHttpServer admin, NodeMetrics metrics, PeerSnapshotSource snapshotSource,
                 Leadership leadership, AuditLog audit) {
        this.audit = audit;
        this.leadership = leadership;
        this.metrics = metrics;
        this.snapshotSource = snapshotSource;
        this.config = config;
        this.store = store;
        this.membership = membership;
        this.scheduler = scheduler;
        this.adminCalls = adminCalls;
        this.peers = peers;
        this.grpc = grpc;
        this.admin = admin;
    }

    /**
     * Starts a node; returns once every listener is bound. A node with a cluster plan (or no seeds) runs its
     * groups at once, though they may still be electing (see {@link #awaitReady}); a node with seeds and no plan
     * waits for {@code cluster init}.
     */
    public static Node start(NodeConfig config, Clock clock) throws IOException {
        NodeTls tls = NodeTls.load(config); // first: a bad certificate file stops the start before anything opens
        AuditLog audit;
        try {
            audit = AuditLog.open(config.auditLogFile(), config.nodeId());
        } catch (IOException e) {
            throw new ConfigException(null, "audit-log", "cannot open " + config.auditLogFile() + " for appending ("
                    + e + "); give a writable file");
        }
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        PlanHolder plans = new PlanHolder(new PlanFile(dataDir));
        NodeStore store = NodeStore.open(dataDir.resolve("rocksdb"),
                new StorageOptions(config.memory().writeBufferSize(), config.memory().blockCacheSize()));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, daemonThreads("partita-cluster"));
        ExecutorService adminCalls = Executors.newCachedThreadPool(daemonThreads("partita-admin"));
        Peers peers = new Peers(5_000, tls.peerChannels());
        Server grpc = null;
        Membership membership = null;
        AdminHttpServer admin = null;
        NodeMetrics metrics = null;
        PeerSnapshotSource snapshotSource = null;
        try {
            Membership[] joined = new Membership[1];
            SnapshotTransfers transfers = new SnapshotTransfers();
            metrics = new NodeMetrics(config.nodeId(), config.namespaces().stream().map(NamespaceConfig::name).toList(),
                    store, () -> joined[0] == null ? null : joined[0].runtime(),
                    () -> joined[0] == null ? java.util.Optional.empty() : joined[0].plans().current(),
                    transfers, config.metrics().slowRequestThreshold());
            NodeConfig.Listen listen = config.listen();
            Server[] bound = new Server[1];
            AtomicReference<String> adminAddress = new AtomicReference<>("");
            RaftTuning tuning = raftTuning(config);
            snapshotSource = new PeerSnapshotSource(peers, plans, config.nodeId(), transfers);
            membership = new Membership(config, store, clock, tuning, plans,
                    () -> listen.advertisedHost() + ":" + bound[0].getPort(), snapshotSource, metrics, tls.material());
            joined[0] = membership;
            Namespaces namespaces = new Namespaces(config.namespaces());
            ClusterMapView map = new ClusterMapView(membership);
            PlanChanges planChanges = new PlanChanges(membership, peers, adminCalls);
            NodeChanges nodeChanges = new NodeChanges(planChanges, peers);
            Rebalancer rebalancer = new Rebalancer(planChanges, peers, new Rebalancer.Settings(
                    config.rebalance().maxConcurrentMoves(), Rebalancer.PERIOD, config.rebalance().moveTimeout()),
                    scheduler, adminCalls, metrics.rebalanceListener());
            Leadership leadership = new Leadership(membership, scheduler);
            MemberGate members = MemberGate.of(tls, config.security().enabled());
            NodeSecurity security = NodeSecurity.of(config, plans, planChanges, clock, audit);
            grpc = tls.secure(NettyServerBuilder.forAddress(new InetSocketAddress(listen.address(), listen.clientPort())))
                    .addService(MalformedRequests.lenient(security.records(new RecordService(membership, namespaces,
                            map, metrics.ops(), security.access()))))
                    .addService(MalformedRequests.lenient(security.admin(new AdminService(membership,
                            new ClusterInitializer(membership, peers, adminCalls), adminCalls,
                            new GroupExporter(membership), adminAddress::get, nodeChanges, rebalancer::progress,
                            transfers, leadership, members), members.interceptor())))
                    .addService(MalformedRequests.lenient(security.admin(new SnapshotTransferService(membership,
                            new TransferThrottle(tuning.snapshotTransferBytesPerSecond()), adminCalls, transfers,
                            members), members.interceptor())))
                    .addService(MalformedRequests.lenient(security.admin(security.users(namespaces.names()))))
                    // Limits first (interceptors added later run first), then requests that do not decode.
                    .addTransportFilter(new ConnectionLimiter(config.limits()))
                    .intercept(new MalformedRequests()).intercept(new CallLimiter(config.limits()))
                    // Room for the largest record plus protocol framing; larger requests are refused unread.
                    .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, namespaces.largestMaxRecordSize() + (1 << 20)))
                    // Long streams (backups) ping every 10 s to notice a dead or paused peer; gRPC's default
                    // (one ping per 5 min) would answer those pings by closing the connection.
                    .permitKeepAliveTime(5, TimeUnit.SECONDS)
                    .callExecutor(new RecordCallExecutor())
                    .build()
                    .start();
            bound[0] = grpc;
            ClusterPlan plan = membership.startIfPlanned();
            security.start(scheduler);
            new SeedWatcher(membership, peers, scheduler).start();
            new AddressUpdater(membership, nodeChanges, scheduler).start();
            rebalancer.start();
            leadership.start();
            Membership ready = membership;
            admin = AdminHttpServer.start(listen.address(), listen.adminPort(), () -> notReadyReason(ready), metrics,
                    tls.adminHttp());
            adminAddress.set(listen.advertisedHost() + ":" + admin.port());
            LOG.info("Node {} serving clients on {}:{} ({})", config.nodeId(), listen.address(), grpc.getPort(),
                    plan == null ? "waiting for cluster init" : "cluster " + plan.getClusterId() + ", "
                            + plan.getGroupCount() + " groups");
            return new Node(config, store, membership, scheduler, adminCalls, peers, grpc, admin,
                    metrics, snapshotSource, leadership, audit);
        } catch (IOException | RuntimeException e) {
            if (admin != null) {
                admin.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            if (snapshotSource != null) {
                snapshotSource.close();
            }
            closeQuietly(grpc, membership, scheduler, adminCalls, peers, store);
            audit.close();
            throw e;
        }
    }

    static RaftTuning raftTuning(NodeConfig config) {
        NodeConfig.RaftTuning c = config.raft();
        long largestRecord = config.namespaces().stream().mapToLong(NamespaceConfig::maxRecordSize).max().orElse(0);
        // A write command carries the encoded bins plus key, digest and options: a few hundred bytes at most.
        return new RaftTuning(c.electionTimeoutMin(), c.electionTimeoutMax(), c.logSync(), c.segmentSize(),
                c.batchMaxCommands(), c.batchMaxBytes(), largestRecord + 4096, c.snapshotEveryEntries(),
                c.snapshotTransferMbPerS() * (1L << 20));
    }

    /**
     * Null when this node has joined a cluster, every group it replicates has a leader ready to serve, none of its
     * replicas is still catching up (installing a snapshot or applying a backlog) or awaiting re-admission, and none
     * is stopped, stuck or missing (see {@link io.partita.raft.group.ReplicaHealth}); else why not, naming the first
     * group at fault.
     */
    static String notReadyReason(Membership membership) {
        ClusterRuntime runtime = membership.runtime();
        if (runtime == null) {
            return "the node has not joined a cluster";
        }
        if (runtime.recovery().anyPending()) {
            return "replicas that lost their state are not back in their groups yet (re-admission; see status)";
        }
        RaftHost host = runtime.host();
        Map<Integer, ReplicaHealth> replicas = runtime.replicaHealth();
        if (replicas.isEmpty()) {
            // Joined, and the plan places no replica here (a node just added, or drained): nothing to wait for.
            return runtime.joined() ? null : "the node has not joined its groups yet";
        }
        // Replica failures first: they need the operator, where a missing leader or a backlog passes by itself.
        for (Map.Entry<Integer, ReplicaHealth> e : replicas.entrySet()) {
            ReplicaHealth h = e.getValue();
            if (!h.running()) {
                return ClusterRuntime.groupName(e.getKey()) + ": replica " + h.state().label() + " (" + h.detail()
                        + ")" + (h.state() == ReplicaHealth.State.STUCK ? ""
                        : "; restart the node (see README, \"A replica stopped\")");
            }
        }
        for (int g : replicas.keySet()) {
            if (g == ClusterRuntime.META) {
                continue;
            }
            Optional<String> leader = host.leaderOf(g);
            if (leader.isEmpty()) {
                return "group " + g + " has no leader";
            }
            // A leader that has not committed its first entry yet cannot serve: it answers NOT_LEADER until then.
            if (leader.get().equals(host.nodeId()) && !host.isLeader(g)) {
                return "group " + g + ": this node's leadership is not ready yet";
            }
            if (host.catchingUp(g)) {
                return "group " + g + ": this replica is catching up";
            }
        }
        return null;
    }

    /** Waits until every group has an elected leader; false if {@code timeout} passed first. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (notReadyReason(membership) == null) {
                return true;
            }
            Thread.sleep(20);
        }
        return notReadyReason(membership) == null;
    }

    /**
     * Hands the leadership of every group this node leads to a follower, within {@code budget} (see
     * {@link Leadership}); what a planned stop does first, so that the groups need no election.
     */
    public List<Leadership.Outcome> handOffLeadership(Duration budget) {
        return leadership.handOff(budget);
    }

    /** The bound client (gRPC) port; differs from the config when it asked for port 0. */
    public int clientPort() {
        return grpc.getPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public String clientAddress() {
        return config.listen().advertisedHost() + ":" + clientPort();
    }

    public NodeConfig config() {
        return config;
    }

    /**
     * The node's Raft host, for tests and tools that inspect groups.
     *
     * @throws IllegalStateException while the node has not joined a cluster
     */
    public RaftHost raft() {
        ClusterRuntime runtime = membership.runtime();
        if (runtime == null) {
            throw new IllegalStateException("node " + config.nodeId() + " has not joined a cluster");
        }
        return runtime.host();
    }

    /** The node's RocksDB, for tests and tools that inspect stored records. */
    public NodeStore store() {
        return store;
    }

    /** The node's metrics (also served at the admin port's {@code /metrics} and over JMX). */
    public NodeMetrics metrics() {
        return metrics;
    }

    public Membership membership() {
        return membership;
    }

    @Override
    public void close() {
        admin.close();
        metrics.close();
        // Before the store closes: an install must not write into it afterwards.
        snapshotSource.close();
        closeQuietly(grpc, membership, scheduler, adminCalls, peers, store);
        audit.close();
        LOG.info("Node {} stopped", config.nodeId());
    }

    private static void closeQuietly(Server grpc, Membership membership, ScheduledExecutorService scheduler, ExecutorService adminCalls, Peers peers,
                                     NodeStore store) {
        scheduler.shutdownNow();
        adminCalls.shutdownNow();
        peers.close();
        if (grpc != null) {
            grpc.shutdown();
            try {
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            grpc.shutdownNow();
        }
        if (membership != null) {
            membership.close();
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
