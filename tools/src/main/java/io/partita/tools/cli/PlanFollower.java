package io.partita.tools.cli;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.PlanNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Follows a cluster's plan while a membership change runs ({@code node decommission --wait}, {@code local --nodes}):
 * each {@link #poll} asks the hosts given and every node any plan seen so far listed, and keeps the highest version
 * of the same cluster. Asking them all matters: a node that has left the plan (or the only host given) may never
 * learn the versions that follow.
 */
final class PlanFollower {

    private final AdminClient admin;
    private final Set<String> watched;
    private ClusterPlan plan;

    /**
     * @param hosts client addresses to ask besides the plan's nodes
     * @param plan  the newest plan known so far
     */
    PlanFollower(AdminClient admin, Collection<String> hosts, ClusterPlan plan) {
        this.admin = admin;
        this.watched = new LinkedHashSet<>(hosts);
        this.plan = plan;
    }

    /** The newest plan seen. */
    ClusterPlan plan() {
        return plan;
    }

    /** Asks every watched node for its plan, each within {@code deadline}, and returns the newest seen. */
    ClusterPlan poll(Duration deadline) {
        for (PlanNode n : plan.getNodesList()) {
            watched.add(n.getClientAddress());
        }
        plan = newer(plan, admin.describeAll(new ArrayList<>(watched), deadline));
        return plan;
    }

    /** The highest plan version of {@code plan}'s cluster among the answers, or {@code plan} if none is newer. */
    static ClusterPlan newer(ClusterPlan plan, Map<String, AdminClient.Answer<NodeDescription>> answers) {
        ClusterPlan best = plan;
        for (AdminClient.Answer<NodeDescription> a : answers.values()) {
            if (a.ok() && a.value().hasPlan() && a.value().getPlan().getClusterId().equals(plan.getClusterId())
                    && a.value().getPlan().getVersion() > best.getVersion()) {
                best = a.value().getPlan();
            }
        }
        return best;
    }
}
