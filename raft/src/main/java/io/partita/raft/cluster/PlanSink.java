package io.partita.raft.cluster;

import io.partita.protocol.v1.ClusterPlan;
import java.util.Optional;

/** Where plans learned by the node go: the node adopts a plan only if it is newer than the one it has. */
public interface PlanSink {
    /** The plan the node works with, if any. */
    Optional<ClusterPlan> current();

    /**
     * Offers a plan; the sink keeps it if it belongs to this cluster (or the node has none yet) and its version is
     * higher. Returns the plan in force afterwards.
     */
    ClusterPlan offer(ClusterPlan plan);
}
