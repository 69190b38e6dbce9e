package io.partita.server.cluster;

import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.AddNodeResponse;
import io.partita.protocol.v1.ClusterPlan;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has the cluster record where this node runs when its plan entry says otherwise: a member restarted with its data
 * at a new address (a pod rescheduled with a new IP, a moved disk). Until the plan records the new address its peers
 * dial the old one; once it does, every node's peer names resolve to the new one ({@code PeerAddresses}) and
 * clients read it from the cluster map. The change is the one {@code partita node add} makes, proposed to the
 * metadata group by this node itself, so it needs a majority of that group to be reachable without this node.
 */
public final class AddressUpdater {
    private static final Logger LOG = LoggerFactory.getLogger(AddressUpdater.class);
    static final long INTERVAL_MS = 1_000;

    private final Membership membership;
    private final NodeChanges changes;
    private final ScheduledExecutorService scheduler;
    private final RepeatedWarning problem = new RepeatedWarning(LOG);

    public AddressUpdater(Membership membership, NodeChanges changes, ScheduledExecutorService scheduler) {
        this.membership = membership;
        this.changes = changes;
        this.scheduler = scheduler;
    }

    public void start() {
        Rounds.repeat(scheduler, () -> INTERVAL_MS, this::updateOnce, LOG, "Recording this node's new address");
    }

    /** One attempt; false once the plan in force records where this node runs. */
    boolean updateOnce() {
        ClusterPlan plan = membership.plans().current().orElse(null);
        if (plan == null || membership.runtime() == null) {
            return true; // not in a cluster yet: a plan that lists this node is made with its current address
        }
        String was = membership.movedFrom(plan);
        if (was == null) {
            return false;
        }
        AddNodeResponse r = changes.add(membership.self().clientAddress());
        if (r.getStatus().getCode() == ResultCode.OK.code()) {
            LOG.info("Plan version {} records node {} at its new address (was {})", r.getPlan().getVersion(),
                    membership.config().nodeId(), was);
            problem.clear();
            return membership.movedFrom(r.getPlan()) != null;
        }
        problem.warn("The cluster does not record node " + membership.config().nodeId() + " at its new address yet: "
                + r.getStatus().getMessage());
        return true;
    }
}
