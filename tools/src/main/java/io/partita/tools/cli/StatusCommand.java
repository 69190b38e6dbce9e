package io.partita.tools.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.protocol.v1.PlanNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code partita status}: every node of the cluster, its groups and leaders, and lagging replicas. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Shows the health of the cluster: nodes, leaders and lagging replicas.",
                "Asks the hosts for the cluster plan, then every node of the plan for its Raft groups (all at once, "
                        + "each within --timeout), and prints a table of the nodes (state, uptime, groups hosted, "
                        + "groups led, metadata group role), how many groups have a leader, how leadership is "
                        + "spread, and the replicas that lag: on a node that is down, not hosted, or more than "
                        + "--max-lag entries behind their leader's commit index.",
                "While nodes are added or decommissioned (partita node), also shows the replica moves in progress "
                        + "and the leaving nodes with how many replicas they still hold; a RACK column appears when "
                        + "nodes have rack labels.",
                "The rebalance's progress comes from the node driving it (the metadata group's leader): moves done "
                        + "of the total (done, in progress and still to plan), completed moves per minute and an "
                        + "ETA from them; each move's copy shows the snapshot bytes its target has received, their "
                        + "rate, and an ETA when the sending node reports the snapshot's size. What cannot be "
                        + "estimated yet is shown as unknown."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:healthy: every node is up and caught up, and every group (and the metadata group) has a "
                        + "leader",
                "1:degraded: a node is down, catching up or not serving the cluster, a group has no leader, or the "
                        + "cluster is not initialized yet",
                "2:usage error",
                "4:no node answered"},
        footer = {"", "Example: partita status --hosts 127.0.0.1:7300,127.0.0.1:7303,127.0.0.1:7306"})
public final class StatusCommand implements Callable<Integer> {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterHosts hosts;

    @Option(names = "--json", description = "Print JSON (the same content, plus every group's replicas, leader, "
            + "term and commit index).")
    boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s", converter = Durations.class,
            description = "How long each node may take to answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--max-lag", paramLabel = "ENTRIES", defaultValue = "100",
            description = "A follower more than this many log entries behind its leader's commit index lags "
                    + "(default: ${DEFAULT-VALUE}).")
    long maxLag;

    private PrintWriter out;
    private PrintWriter err;

    @Override
    public Integer call() {
        List<String> addresses = hosts.addresses();
        if (maxLag < 0) {
            throw new ParameterException(spec.commandLine(), "--max-lag must be 0 or more, got " + maxLag);
        }
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        try (AdminClient admin = new AdminClient()) {
            return run(admin, addresses);
        }
    }

    private int run(AdminClient admin, List<String> addresses) {
        Map<String, AdminClient.Answer<NodeDescription>> described = admin.describeAll(addresses, timeout);
        ClusterPlan plan = newestPlan(described);
        if (plan == null) {
            if (described.values().stream().noneMatch(AdminClient.Answer::ok)) {
                return fail(ExitCodes.UNAVAILABLE, "no node answered: " + problems(described));
            }
            return notInitialized(described);
        }
        List<String> planAddresses = plan.getNodesList().stream().map(PlanNode::getClientAddress).toList();
        Map<String, AdminClient.Answer<NodeStatusResponse>> statuses = admin.statusAll(planAddresses, timeout);
        Map<String, NodeStatusResponse> answers = new HashMap<>();
        Map<String, String> problems = new HashMap<>();
        for (PlanNode n : plan.getNodesList()) {
            AdminClient.Answer<NodeStatusResponse> a = statuses.get(n.getClientAddress());
            if (a.ok()) {
                answers.put(n.getNodeId(), a.value());
            } else {
                problems.put(n.getNodeId(), a.problem(timeout));
            }
        }
        ClusterHealth health = ClusterHealth.analyze(plan, answers, problems, maxLag);
        if (!health.anyAnswered()) {
            return fail(ExitCodes.UNAVAILABLE, "no node of cluster " + plan.getClusterId() + " answered: "
                    + problems(statuses));
        }
        MoveProgress progress = MoveProgress.of(plan, answers, health.metaLeader());
        if (json) {
            out.println(RecordJson.pretty(StatusReport.json(health, progress)));
        } else {
            StatusReport.text(health, progress).forEach(out::println);
        }
        out.flush();
        return health.exitCode();
    }

    /** The plan of the first host (in --hosts order) that has one, or a newer version of it from another host. */
    public static ClusterPlan newestPlan(Map<String, AdminClient.Answer<NodeDescription>> described) {
        ClusterPlan best = null;
        for (AdminClient.Answer<NodeDescription> a : described.values()) {
            if (!a.ok() || !a.value().hasPlan()) {
                continue;
            }
            ClusterPlan p = a.value().getPlan();
            if (best == null || (p.getClusterId().equals(best.getClusterId()) && p.getVersion() > best.getVersion())) {
                best = p;
            }
        }
        return best;
    }

    private int notInitialized(Map<String, AdminClient.Answer<NodeDescription>> described) {
        List<String[]> rows = new ArrayList<>();
        for (AdminClient.Answer<NodeDescription> a : described.values()) {
            rows.add(a.ok() ? new String[] {a.value().getNodeId(), a.address(), "not_joined", null}
                    : new String[] {null, a.address(), "down", a.problem(timeout)});
        }
        if (json) {
            ObjectNode o = NODES.objectNode();
            o.put("initialized", false);
            o.put("healthy", false);
            ArrayNode problems = o.putArray("problems");
            problems.add("no node has joined a cluster yet");
            ArrayNode nodes = o.putArray("nodes");
            for (String[] r : rows) {
                ObjectNode j = nodes.addObject();
                j.put("node_id", r[0]);
                j.put("address", r[1]);
                j.put("state", r[2]);
                if (r[3] != null) {
                    j.put("problem", r[3]);
                }
            }
            out.println(RecordJson.pretty(o));
        } else {
            out.println("Not initialized: no node has joined a cluster yet.");
            out.println();
            TextTable t = new TextTable("NODE", "ADDRESS", "STATE");
            for (String[] r : rows) {
                t.row(r[0] == null ? "?" : r[0], r[1], r[3] == null ? "waiting for cluster init"
                        : "down (" + r[3] + ")");
            }
            t.lines("  ").forEach(out::println);
            out.println();
            out.println("Create the cluster with: partita cluster init --hosts <client address of every node>");
        }
        out.flush();
        return 1;
    }

    private String problems(Map<String, ? extends AdminClient.Answer<?>> answers) {
        List<String> parts = new ArrayList<>();
        for (AdminClient.Answer<?> a : answers.values()) {
            if (!a.ok()) {
                parts.add(a.address() + " (" + a.problem(timeout) + ")");
            }
        }
        return String.join(", ", parts);
    }

    private int fail(int code, String message) {
        err.println(spec.qualifiedName() + ": " + message);
        err.flush();
        return code;
    }
}
