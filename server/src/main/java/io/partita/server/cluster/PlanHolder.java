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
 * The plan this node works with. Plans arrive from the metadata group (applied from its log, or read back from it
 * when another node pushes or reports a newer version, see {@link Membership#adoptFromMeta}); only a node without
 * a plan takes its first one as {@code cluster init} pushes it or a seed reports it. Whichever path brings a newer
 * version of this cluster's plan, it is written to disk first and then handed to the listener, so a restart always
 * finds the newest plan the node acted on.
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

    /** @throws IllegalArgumentException if {@code offered} is a plan of another cluster than {@code mine} */
    static void requireSameCluster(ClusterPlan mine, ClusterPlan offered) {
        if (!mine.getClusterId().equals(offered.getClusterId())) {
            throw new IllegalArgumentException("this node belongs to cluster " + mine.getClusterId()
                    + ", not to cluster " + offered.getClusterId()
                    + "; to move it, stop it and start it with an empty data-dir");
        }
    }

    /**
     * @throws IllegalArgumentException if the plan belongs to another cluster than the one this node is in
     */
    @Override
    public ClusterPlan offer(ClusterPlan offered) {
        ClusterPlan adopted;
        synchronized (this) {
            ClusterPlan mine = plan;
            if (mine != null) {
                requireSameCluster(mine, offered);
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
