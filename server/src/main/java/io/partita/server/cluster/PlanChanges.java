package io.partita.server.cluster;

import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.JoinClusterResponse;
import io.partita.protocol.v1.PlanNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes the cluster plan after {@code cluster init}: each change is a new plan version committed by the metadata
 * group, then pushed to every node it lists.
 *
 * <p>Any node may propose (an operator's {@code node add} lands on any node; the rebalancer runs on the metadata
 * group's leader). A proposal is a whole plan one version above the one it was computed from; the metadata group
 * keeps only a newer version than the one in force, so of two proposals computed from the same plan one wins and
 * the other is computed again from the winner.
 */
public final class PlanChanges {
    private static final Logger LOG = LoggerFactory.getLogger(PlanChanges.class);
    private static final int ATTEMPTS = 10;

    private final Membership membership;
    private final Peers peers;
    private final Executor calls;

    public PlanChanges(Membership membership, Peers peers, Executor calls) {
        this.membership = membership;
        this.peers = peers;
        this.calls = calls;
    }

    /**
     * Commits {@code change} applied to the plan in force (as a new version) and pushes the result to every node.
     * {@code change} returning its argument means nothing to change: no new version is made.
     *
     * @return the plan in force afterwards
     * @throws IOException if the metadata group does not take the proposal (no leader, this node not in a cluster)
     */
    public ClusterPlan update(UnaryOperator<ClusterPlan> change) throws IOException {
        return commit(change).plan();
    }

    /** The plan in force after a change, and the pushes of it to the other nodes (done when all answered). */
    private record Committed(ClusterPlan plan, CompletableFuture<Void> pushes) {
    }

    private Committed commit(UnaryOperator<ClusterPlan> change) throws IOException {
        for (int attempt = 1; ; attempt++) {
            ClusterPlan current = current();
            ClusterPlan changed = change.apply(current);
            if (changed == current || changed.equals(current)) {
                return new Committed(current, CompletableFuture.completedFuture(null));
            }
            ClusterPlan proposed = changed.toBuilder().setVersion(current.getVersion() + 1).build();
            ClusterPlan inForce = propose(proposed);
            if (inForce.equals(proposed)) {
                return new Committed(inForce, push(inForce));
            }
            if (attempt == ATTEMPTS) {
                throw new IOException("the cluster plan kept changing under " + ATTEMPTS
                        + " proposals; try again");
            }
            LOG.debug("Plan version {} was taken by another change; computing again", proposed.getVersion());
        }
    }

    /** The plan in force, as the metadata group holds it (this node's copy may lag). */
    private ClusterPlan current() throws IOException {
        ClusterPlan mine = membership.plans().current().orElseThrow(() -> new IOException("node "
                + membership.config().nodeId() + " is not in a cluster yet"));
        ClusterPlan inForce = membership.readMetaPlan(mine);
        if (inForce.getVersion() == 0) {
            // Nothing recorded yet: a cluster a node made of itself, or a cluster init stopped before recording its
            // plan. No change was ever committed then, so every node holds that first plan: record this node's.
            LOG.info("Recording plan version {} of cluster {} in the metadata group, which holds none yet",
                    mine.getVersion(), mine.getClusterId());
            inForce = propose(mine);
        }
        membership.plans().offer(inForce);
        return inForce;
    }

    private ClusterRuntime runtime() throws IOException {
        ClusterRuntime runtime = membership.runtime();
        if (runtime == null) {
            throw new IOException("node " + membership.config().nodeId() + " does not run a cluster yet");
        }
        return runtime;
    }

    private ClusterPlan propose(ClusterPlan plan) throws IOException {
        // Asked of the members of the plan in force (the one the proposal was computed from names the same).
        return Membership.metaAnswer(runtime().host().proposeToMeta(PlanView.metaMembers(plan), plan.toByteArray()));
    }

    /**
     * Sends the plan to every node it lists, in the background (a node that misses it finds it within 10 s by
     * polling, {@link SeedWatcher}). This node takes it directly.
     */
    public CompletableFuture<Void> push(ClusterPlan plan) {
        String self = membership.config().nodeId();
        membership.plans().offer(plan);
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (PlanNode n : plan.getNodesList()) {
            if (n.getNodeId().equals(self)) {
                continue;
            }
            pushes.add(CompletableFuture.runAsync(() -> {
                try {
                    JoinClusterResponse r = peers.join(n.getClientAddress(), plan);
                    if (r.getStatus().getCode() != ResultCode.OK.code()) {
                        LOG.warn("Node {} refused plan version {}: {}", n.getNodeId(), plan.getVersion(),
                                r.getStatus().getMessage());
                    }
                } catch (RuntimeException e) {
                    LOG.debug("Cannot push plan version {} to node {}: {}", plan.getVersion(), n.getNodeId(),
                            e.toString());
                }
            }, calls));
        }
        return CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new));
    }

    /**
     * As {@link #update}, then waits up to {@code wait} for every node to have been offered the new plan (pushes
     * answered or failed): for changes that must take effect everywhere before the caller is told, such as a
     * revoked role. A node that could not be reached finds the plan by polling, as after any change.
     */
    public ClusterPlan updateEverywhere(UnaryOperator<ClusterPlan> change, Duration wait) throws IOException {
        Committed committed = commit(change);
        try {
            committed.pushes().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.debug("Plan version {} not yet offered to every node: {}", committed.plan().getVersion(),
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return committed.plan();
    }

    /** The plan this node holds, if any. */
    public Optional<ClusterPlan> local() {
        return membership.plans().current();
    }

    public Membership membership() {
        return membership;
    }
}
