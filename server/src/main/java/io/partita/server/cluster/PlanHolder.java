package io.partita.server.cluster;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.raft.cluster.PlanFile;
import io.partita.raft.cluster.PlanSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan this node works with. Plans arrive from {@code cluster init} (JoinCluster), from seeds, and from the
 * metadata group; whichever path brings a newer version of this cluster's plan, it is written to disk first and
 * then handed to the listener, so a restart always finds the newest plan the node acted on.
 */
public final class PlanHolder implements PlanSink {
    private static final Logger LOG = LoggerFactory.getLogger(PlanHolder.class);

    private final PlanFile file;
    private volatile ClusterPlan plan;
    private volatile Consumer<ClusterPlan> listener = p -> { };

    public PlanHolder(PlanFile file) throws IOException {
        this.file = file;
        this.plan = file.load().orElse(null);
    }

    /** Called with each newly adopted plan, after it is on disk. */
    public void onChange(Consumer<ClusterPlan> newListener) {
        this.listener = newListener;
    }

    @Override
    public Optional<ClusterPlan> current() {
        return Optional.ofNullable(plan);
    }

    /**
     * @throws IllegalArgumentException if the plan belongs to another cluster than the one this node is in
     */
    @Override
    public ClusterPlan offer(ClusterPlan offered) {
        ClusterPlan adopted;
        synchronized (this) {
            ClusterPlan mine = plan;
            if (mine != null && !mine.getClusterId().equals(offered.getClusterId())) {
                throw new IllegalArgumentException("this node belongs to cluster " + mine.getClusterId()
                        + ", not to cluster " + offered.getClusterId()
                        + "; to move it, stop it and start it with an empty data-dir");
            }
            if (mine != null && offered.getVersion() <= mine.getVersion()) {
                return mine;
            }
            try {
                file.save(offered);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store the cluster plan in " + file.path(), e);
            }
            plan = offered;
            adopted = offered;
        }
        LOG.info("Adopted cluster plan version {} of cluster {} ({} nodes, {} groups, replication factor {})",
                adopted.getVersion(), adopted.getClusterId(), adopted.getNodesCount(), adopted.getGroupCount(),
                adopted.getReplicationFactor());
        listener.accept(adopted);
        return adopted;
    }
}
