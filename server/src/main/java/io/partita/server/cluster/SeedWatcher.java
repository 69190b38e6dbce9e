package io.partita.server.cluster;

import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.AddNodeResponse;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.PlanNode;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the seeds (and, once the node has a plan, the other members) for their plan: a node that missed
 * {@code cluster init} takes the plan a seed reports, and a node in the cluster that hears of a newer version reads
 * it back from the metadata group ({@link Membership#joinFromSeed}). Polls every 2 s while the node waits to join,
 * then every 10 s.
 *
 * <p>With {@code auto-join: true}, a node without a plan that finds a seed running a cluster which does not list it
 * asks that seed to add it ({@code AddNode}, as {@code partita node add} does); the plan that lists it then arrives
 * as for any member (pushed by the seed, or found here at the next poll). A seed without a plan (during
 * {@code cluster init}) is left alone, as without auto-join.
 */
public final class SeedWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SeedWatcher.class);
    static final long WAITING_INTERVAL_MS = 2_000;
    static final long MEMBER_INTERVAL_MS = 10_000;

    private final Membership membership;
    private final Peers peers;
    private final ScheduledExecutorService scheduler;
    private final RepeatedWarning planProblem = new RepeatedWarning(LOG);
    /** Auto-join failures: a seed that keeps refusing for the same reason is logged once. */
    private final RepeatedWarning joinProblem = new RepeatedWarning(LOG);
    /** A plan a seed offered while this node had none, taken only if still offered at the next poll. */
    private ClusterPlan offered;

    public SeedWatcher(Membership membership, Peers peers, ScheduledExecutorService scheduler) {
        this.membership = membership;
        this.peers = peers;
        this.scheduler = scheduler;
    }

    public void start() {
        Rounds.repeat(scheduler, () -> membership.runtime() == null ? WAITING_INTERVAL_MS : MEMBER_INTERVAL_MS,
                () -> {
                    pollOnce();
                    return true;
                }, LOG, "Polling seeds");
    }

    void pollOnce() {
        String selfId = membership.config().nodeId();
        Set<String> addresses = new LinkedHashSet<>(membership.config().seeds());
        membership.plans().current().ifPresent(p -> {
            for (PlanNode n : p.getNodesList()) {
                if (!n.getNodeId().equals(selfId)) {
                    addresses.add(n.getClientAddress());
                }
            }
        });
        long mine = membership.plans().current().map(ClusterPlan::getVersion).orElse(0L);
        for (String address : addresses) {
            NodeDescription d;
            try {
                d = peers.describe(address);
            } catch (RuntimeException e) {
                continue; // down or not started yet; the next poll tries again
            }
            if (!d.hasPlan() || d.getPlan().getVersion() <= mine) {
                continue;
            }
            if (PlanView.node(d.getPlan(), selfId).isEmpty()) {
                if (mine == 0 && membership.config().autoJoin()) {
                    askToBeAdded(address, d.getPlan());
                    return; // one request per poll; the plan that lists this node is taken as below
                }
                continue;
            }
            if (mine == 0 && !d.getPlan().equals(offered)) {
                // A node without a plan that takes one from a seed joins as a member that may have lost its data
                // (no vote until re-admitted). During cluster init the seeds adopt the plan moments before this
                // node is sent it; waiting one poll lets init's own push arrive, so founding members vote.
                offered = d.getPlan();
                return;
            }
            try {
                membership.joinFromSeed(d.getPlan());
                planProblem.clear();
                return;
            } catch (Exception e) {
                planProblem.warn("seed " + address + " reports a plan this node cannot take: " + e.getMessage());
            }
        }
    }

    /**
     * Asks {@code seed}, a member of a cluster that does not list this node, to add it. A refusal (the seed's
     * PARAMETER_ERROR says why, e.g. other namespaces) or an unanswered request is logged when it differs from the
     * last one, so that a node that keeps asking every poll does not flood its log.
     */
    private void askToBeAdded(String seed, ClusterPlan plan) {
        String selfId = membership.config().nodeId();
        String selfAddress = membership.self().clientAddress();
        AddNodeResponse r;
        try {
            r = peers.addNode(seed, selfAddress);
        } catch (RuntimeException e) {
            // The status code only: a message with timings would differ at every poll.
            joinProblem.warn("seed " + seed + " did not answer the request to add node " + selfId + " (auto-join): "
                    + Peers.failure(e) + "; asking again");
            return;
        }
        ResultCode code = ResultCode.fromCode(r.getStatus().getCode());
        if (code == ResultCode.OK) {
            joinProblem.clear();
            LOG.info("auto-join: seed {} {} node {} ({}) {} cluster {} (plan version {})", seed,
                    r.getAlreadyMember() ? "reports" : "added", selfId, selfAddress,
                    r.getAlreadyMember() ? "as a member of" : "to", r.getPlan().getClusterId(),
                    r.getPlan().getVersion());
            return;
        }
        joinProblem.warn("seed " + seed + " refused to add node " + selfId + " (" + selfAddress + ", auto-join) to cluster "
                + plan.getClusterId() + ": " + code + ": " + r.getStatus().getMessage()
                + (code == ResultCode.PARAMETER_ERROR ? "; fix this node's config and restart it"
                        : "; asking again"));
    }
}
