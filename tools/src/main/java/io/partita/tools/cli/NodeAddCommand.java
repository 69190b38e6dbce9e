package io.partita.tools.cli;

import io.grpc.StatusRuntimeException;
import io.partita.protocol.HostPort;
import io.partita.protocol.v1.AddNodeResponse;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.PlanNode;
import io.partita.server.cluster.PlanView;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code partita node add --hosts H ADDRESS}: lists a node that waits to join in the cluster plan. */
@Command(name = "add", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Adds a running node that waits to join to the cluster.",
                "Start the node first with an empty data-dir, the cluster's namespaces and raft settings, and "
                        + "members of the cluster as seeds: it then waits to join.",
                "Sends the request to the first host of --hosts that is a member of the cluster. That node describes "
                        + "the new one at ADDRESS, checks that it fits (same namespaces, raft-groups and election "
                        + "timeouts, an unused node-id and raft address) and commits a new plan version that lists "
                        + "it. The metadata group's leader then moves replicas onto it in the background until the "
                        + "groups are spread evenly; 'partita status' shows the moves in progress.",
                "Adding a node that is already a member changes nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the node was added (replicas then move onto it in the background), or is a member already",
                "2:usage error, or the cluster refused the node (PARAMETER_ERROR: nothing answers at ADDRESS, the "
                        + "node belongs to another cluster, its namespaces, raft-groups or election timeouts differ, "
                        + "its node-id or raft address is taken)",
                "4:could not complete: no member of the cluster reachable among --hosts, the metadata group did not "
                        + "answer (TIMEOUT), or no answer within --timeout"},
        footer = {"", "Example: partita node add --hosts 10.0.0.1:7300,10.0.0.2:7300 10.0.0.4:7300"})
public final class NodeAddCommand extends NodeChangeCommand {

    @Parameters(index = "0", paramLabel = "ADDRESS",
            description = "Client address host:port of the node to add (running, waiting to join).")
    String address;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = Durations.class,
            description = "Time budget of the whole request, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    Duration timeout() {
        return timeout;
    }

    @Override
    void check() {
        address = address.trim();
        if (!HostPort.isValid(address)) {
            throw new ParameterException(spec.commandLine(), "ADDRESS: '" + address + "' is not host:port (e.g. "
                    + "10.0.0.4:7300 or [::1]:7300)");
        }
    }

    @Override
    int run(AdminClient admin, List<String> addresses, long deadline) {
        String host = member(admin, addresses, deadline);
        if (host == null) {
            return ExitCodes.UNAVAILABLE;
        }
        Duration left = left(deadline, timeout);
        AddNodeResponse r;
        try {
            r = admin.addNode(host, address, left);
        } catch (StatusRuntimeException e) {
            return failed(host, e, left, "the node may or may not have been added: check with 'partita status "
                    + "--hosts " + host + "' or run node add again (it reports a node that is a member already)");
        }
        Integer rejected = rejected(host, r.getStatus(), r.hasPlan());
        if (rejected != null) {
            return rejected;
        }
        ClusterPlan plan = r.getPlan();
        String who = nodeId(admin, plan).map(id -> "node " + id + " (" + address + ")")
                .orElse("the node at " + address);
        String where = "cluster " + plan.getClusterId() + " (plan version " + plan.getVersion() + ")";
        out.println(r.getAlreadyMember() ? who + " is already a member of " + where + "; nothing was changed"
                : who + " added to " + where + "; replicas move onto it in the background: see 'partita status'");
        return ExitCodes.OK;
    }

    /**
     * The added node's id: the plan lists it under the client address it gives itself, which may be spelled
     * differently from ADDRESS (a host name for an IP); then ask the node.
     */
    private Optional<String> nodeId(AdminClient admin, ClusterPlan plan) {
        Optional<String> listed = Rebalancing.nodeAt(plan, address).map(PlanNode::getNodeId);
        if (listed.isPresent()) {
            return listed;
        }
        try {
            String id = admin.describe(address, FirstHost.PROBE_DEADLINE).getNodeId();
            return PlanView.node(plan, id).map(PlanNode::getNodeId);
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        }
    }
}
