package io.partita.tools.cli;

import io.grpc.StatusRuntimeException;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.DecommissionNodeResponse;
import io.partita.protocol.v1.PlanNode;
import io.partita.server.cluster.PlanView;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code partita node decommission --hosts H NODE_ID [--wait]}: drains a node, which then leaves the plan. */
@Command(name = "decommission", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Removes a node from the cluster without losing a replica.",
                "Sends the request to the first host of --hosts that is a member of the cluster; the plan then marks "
                        + "the node LEAVING. The metadata group's leader moves each of its replicas (its seat in the "
                        + "metadata group included) to the other active nodes in the background, one new copy "
                        + "caught up before the old one goes, and drops the node from the plan once it holds "
                        + "nothing. Stop the node after that.",
                "Refused when the other active nodes could not hold every group's replication factor: add a node "
                        + "first. Decommissioning a node that is leaving or gone already changes nothing.",
                "With --wait, follows the plan every second, prints how many replicas the node still holds as that "
                        + "changes, and returns once the node has left the plan."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the node is leaving (with --wait: it has left the plan), or was leaving or gone already",
                "2:usage error, or the cluster refused (PARAMETER_ERROR: e.g. fewer active nodes would be left than "
                        + "the replication factor)",
                "4:could not complete: no member of the cluster reachable among --hosts, the metadata group did not "
                        + "answer (TIMEOUT), no answer in time; with --wait: the node still held replicas when "
                        + "--timeout passed (it keeps leaving in the background)"},
        footer = {"", "Example: partita node decommission --hosts 10.0.0.1:7300 n2 --wait"})
public final class NodeDecommissionCommand extends NodeChangeCommand {

    /** At most this long for the request itself, whatever --timeout gives --wait. */
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(60);
    /** How often --wait looks at the plan. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** How long each node may take to describe itself while --wait polls. */
    static final Duration POLL_DEADLINE = Duration.ofSeconds(2);

    @Parameters(index = "0", paramLabel = "NODE_ID", description = "The node-id of the node to remove, e.g. n2 (see "
            + "'partita status').")
    String nodeId;

    @Option(names = "--wait", description = "Wait until the node has left the plan (it can be stopped then).")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m", converter = Durations.class,
            description = "Time budget: for the request (at most 60s of it) and, with --wait, for the node to leave "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    Duration timeout() {
        return timeout;
    }

    @Override
    void check() {
        nodeId = nodeId.trim();
        if (nodeId.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "NODE_ID must not be empty");
        }
    }

    @Override
    int run(AdminClient admin, List<String> addresses, long deadline) {
        String host = member(admin, addresses, deadline);
        if (host == null) {
            return ExitCodes.UNAVAILABLE;
        }
        Duration left = left(deadline, REQUEST_DEADLINE);
        DecommissionNodeResponse r;
        try {
            r = admin.decommission(host, nodeId, left);
        } catch (StatusRuntimeException e) {
            return failed(host, e, left, "node " + nodeId + " may or may not be leaving: check with 'partita "
                    + "status --hosts " + host + "' or run decommission again");
        }
        Integer rejected = rejected(host, r.getStatus(), r.hasPlan());
        if (rejected != null) {
            return rejected;
        }
        ClusterPlan plan = r.getPlan();
        if (PlanView.node(plan, nodeId).isEmpty()) {
            out.println("node " + nodeId + " is not in the plan of cluster " + plan.getClusterId() + " (version "
                    + plan.getVersion() + ", nodes " + plan.getNodesList().stream().map(PlanNode::getNodeId)
                    .collect(Collectors.joining(", ")) + "): it has left or never joined; nothing to do");
            return ExitCodes.OK;
        }
        int held = Rebalancing.replicasHeld(plan, nodeId);
        String moving = held == 0 ? "it holds no replicas any more" : "its " + Rebalancing.replicas(held)
                + (held == 1 ? " moves" : " move") + " to the other nodes";
        String line = "node " + nodeId + " is " + (r.getAlreadyLeaving() ? "already " : "") + "leaving: " + moving;
        if (!await) {
            out.println(line + " (see 'partita status'); stop it once it has left the plan");
            return ExitCodes.OK;
        }
        out.println(line + "; waiting until it has left the plan (at most " + Durations.format(timeout) + ")");
        out.flush();
        return await(admin, addresses, plan, held, deadline);
    }

    /** Follows the plan until it no longer lists the node, printing the replicas it holds as they change. */
    private int await(AdminClient admin, List<String> addresses, ClusterPlan plan, int held, long deadline) {
        PlanFollower follower = new PlanFollower(admin, addresses, plan);
        int last = held;
        while (true) {
            if (PlanView.node(plan, nodeId).isEmpty()) {
                out.println("node " + nodeId + " has left cluster " + plan.getClusterId() + "; it can be stopped");
                return ExitCodes.OK;
            }
            int now = Rebalancing.replicasHeld(plan, nodeId);
            if (now != last) {
                out.println(nodeId + ": " + Rebalancing.replicasLeft(now));
                out.flush();
                last = now;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return fail(ExitCodes.UNAVAILABLE, "node " + nodeId + " still holds " + Rebalancing.replicas(now)
                        + " after " + Durations.format(timeout) + " (plan version " + plan.getVersion() + "); it "
                        + "keeps leaving in the background: follow it with 'partita status' or wait again with "
                        + "--wait");
            }
            try {
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, remaining / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail(ExitCodes.UNAVAILABLE, "interrupted while waiting for node " + nodeId + " to leave");
            }
            plan = follower.poll(left(deadline, POLL_DEADLINE));
        }
    }
}
