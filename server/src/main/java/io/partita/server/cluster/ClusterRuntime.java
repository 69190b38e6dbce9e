package io.partita.server.cluster;

import io.partita.engine.storage.NodeStore;
import io.partita.engine.time.Clock;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.raft.group.GroupLayout;
import io.partita.raft.group.GroupWriter;
import io.partita.raft.group.NodeAddress;
import io.partita.raft.group.RaftHost;
import io.partita.raft.group.RaftTuning;
import io.partita.raft.snapshot.SnapshotSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.ratis.protocol.RaftGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node runs once it belongs to a cluster: the Ratis server with this node's replicas of the data groups (and
 * of the metadata group, if it is a member), and a {@link GroupWriter} per hosted group. The group layout (cluster
 * id and group count) never changes for the life of a cluster, so it is fixed here.
 */
public final class ClusterRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRuntime.class);

    private final String nodeId;
    private final RaftHost host;
    private final NodeStore store;
    private final Clock clock;
    private final RaftTuning tuning;
    private final ExecutorService batchExecutor;
    private final AtomicReferenceArray<GroupWriter> writers;
    private final RuntimeObserver observer;

    private ClusterRuntime(String nodeId, RaftHost host, NodeStore store, Clock clock, RaftTuning tuning,
                           ExecutorService batchExecutor, RuntimeObserver observer) {
        this.observer = observer;
        this.nodeId = nodeId;
        this.host = host;
        this.store = store;
        this.clock = clock;
        this.tuning = tuning;
        this.batchExecutor = batchExecutor;
        this.writers = new AtomicReferenceArray<>(host.layout().groupCount());
    }

    /**
     * Starts Ratis for the plan's cluster and joins every group the plan gives this node. Ratis binds
     * {@code raftBindAddress}; peers dial {@code self.raftAddress()}, which differs when it is advertised.
     */
    public static ClusterRuntime start(Path raftDir, NodeAddress self, String raftBindAddress, RaftTuning tuning,
                                       ClusterPlan plan, NodeStore store, Clock clock, PlanHolder plans,
                                       ExecutorService batchExecutor, SnapshotSource snapshots,
                                       RuntimeObserver observer) throws IOException {
        GroupLayout layout = new GroupLayout(plan.getClusterId(), plan.getGroupCount());
        RaftHost host = RaftHost.start(raftDir, self, raftBindAddress, tuning, layout, store, clock, plans,
                snapshots);
        ClusterRuntime runtime = new ClusterRuntime(self.nodeId(), host, store, clock, tuning, batchExecutor,
                observer);
        try {
            runtime.ensureGroups(plan);
        } catch (IOException | RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    /** Joins the groups of {@code plan} this node replicates and does not host yet. */
    public synchronized void ensureGroups(ClusterPlan plan) throws IOException {
        if (PlanView.inMetaGroup(plan, nodeId)) {
            host.ensureMetaGroup(PlanView.addresses(plan, plan.getMetaNodeIdsList()));
        }
        List<Integer> mine = new ArrayList<>();
        for (int g = 0; g < plan.getGroupCount(); g++) {
            if (PlanView.replicates(plan, g, nodeId)) {
                mine.add(g);
            }
        }
        long start = System.nanoTime();
        store.prepareGroups(mine);
        for (int g : mine) {
            host.ensureGroup(g, PlanView.addresses(plan, plan.getGroups(g).getReplicaNodeIdsList()));
            if (writers.get(g) == null) {
                writers.set(g, new GroupWriter(g, host, clock, tuning, batchExecutor, observer.batchListener()));
                observer.groupHosted(this, g);
            }
        }
        LOG.info("Hosting {} groups of plan version {} ({} ms)", mine.size(), plan.getVersion(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Has every group of {@code plan} this node replicates (and the metadata group, if it is a member) rebuild this
     * node's replica from the group's leader: for a node that lost its data directory and rejoins with the same id.
     */
    public void readmit(ClusterPlan plan) throws IOException {
        Map<RaftGroupId, List<NodeAddress>> groups = new LinkedHashMap<>();
        if (PlanView.inMetaGroup(plan, nodeId)) {
            groups.put(host.layout().metaGroupId(), PlanView.addresses(plan, plan.getMetaNodeIdsList()));
        }
        for (int g = 0; g < plan.getGroupCount(); g++) {
            if (PlanView.replicates(plan, g, nodeId)) {
                groups.put(host.layout().raftGroupId(g),
                        PlanView.addresses(plan, plan.getGroups(g).getReplicaNodeIdsList()));
            }
        }
        host.readmit(groups);
    }

    public RaftHost host() {
        return host;
    }

    public GroupLayout layout() {
        return host.layout();
    }

    public NodeStore store() {
        return store;
    }

    /** The writer of a group this node replicates, or null if it holds no replica of it. */
    public GroupWriter writer(int group) {
        return writers.get(group);
    }

    @Override
    public void close() {
        try {
            host.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Error stopping Ratis", e);
        }
    }
}
