package io.partita.server.cluster;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.raft.group.RaftTuning;
import io.partita.server.config.Durations;
import io.partita.server.config.NodeConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The election timeouts the cluster plan fixes for every node. Ratis's leader lease lasts
 * {@link io.partita.raft.group.RaftHost#LEASE_RATIO} of the leader's own minimum election timeout, and a follower
 * refuses to vote for another leader for its own minimum after hearing from the leader; a lease is only safe if no
 * follower's minimum is shorter than the leader's. So the minimum and maximum are set at {@code cluster init} from
 * the nodes' configs (which must agree) and every node must run with them.
 *
 * <p>A plan made before the timeouts were fixed has none: its nodes keep their own settings and run without the
 * leader lease (a linearizable read then confirms leadership through a ReadIndex round), which is safe whatever
 * the settings.
 */
public final class ElectionTimeouts {
    static final String MIN_KEY = "raft.election-timeout-min";
    static final String MAX_KEY = "raft.election-timeout-max";

    private ElectionTimeouts() {
    }

    /** {@code plan} with this config's election timeouts fixed in it. */
    public static ClusterPlan pin(ClusterPlan plan, NodeConfig.RaftTuning raft) {
        return plan.toBuilder()
                .setElectionTimeoutMinMs(Math.toIntExact(raft.electionTimeoutMin().toMillis()))
                .setElectionTimeoutMaxMs(Math.toIntExact(raft.electionTimeoutMax().toMillis()))
                .build();
    }

    /** Whether the plan fixes the election timeouts (plans made before they were fixed do not). */
    public static boolean pinned(ClusterPlan plan) {
        return plan.getElectionTimeoutMinMs() > 0 && plan.getElectionTimeoutMaxMs() > 0;
    }

    /**
     * Refuses a node whose configured timeouts differ from the ones the plan fixes.
     *
     * @throws IllegalStateException naming the setting, the cluster's value and this node's
     */
    public static void check(ClusterPlan plan, NodeConfig.RaftTuning raft) {
        if (!pinned(plan)) {
            return;
        }
        mismatch(plan.getClusterId(), MIN_KEY, plan.getElectionTimeoutMinMs(), raft.electionTimeoutMin())
                .or(() -> mismatch(plan.getClusterId(), MAX_KEY, plan.getElectionTimeoutMaxMs(),
                        raft.electionTimeoutMax()))
                .ifPresent(message -> {
                    throw new IllegalStateException(message);
                });
    }

    private static Optional<String> mismatch(String clusterId, String key, long clusterMs, Duration configured) {
        if (configured.toMillis() == clusterMs) {
            return Optional.empty();
        }
        String cluster = Durations.format(Duration.ofMillis(clusterMs));
        return Optional.of(key + " is fixed when the cluster is created (the leader lease relies on every node"
                + " using the same election timeouts): cluster " + clusterId + " uses " + cluster
                + " but this node's config says " + Durations.format(configured) + "; set " + key + ": " + cluster);
    }

    /**
     * The tuning a node runs a plan with: the leader lease only when the plan fixes the timeouts (and this node's
     * config, checked by {@link #check}, matches them).
     */
    public static RaftTuning tuningFor(ClusterPlan plan, RaftTuning tuning) {
        return tuning.withLeaderLease(tuning.leaderLease() && pinned(plan));
    }
}
