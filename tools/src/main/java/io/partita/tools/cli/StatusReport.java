package io.partita.tools.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partita.protocol.v1.PlanNode;
import io.partita.server.cluster.PlanView;
import io.partita.tools.cli.ClusterHealth.Lag;
import io.partita.tools.cli.ClusterHealth.LagKind;
import io.partita.tools.cli.ClusterHealth.NodeRow;
import io.partita.tools.cli.ClusterHealth.NodeState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What {@code partita status} prints: text for people, or JSON with the same content and per-group detail. */
public final class StatusReport {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StatusReport() {
    }

    /** The text without move progress (no node reported any). */
    public static List<String> text(ClusterHealth h) {
        return text(h, MoveProgress.NONE);
    }

    /** The text, with the rebalance's progress and the moves' copies as the nodes reported them. */
    public static List<String> text(ClusterHealth h, MoveProgress progress) {
        List<String> out = new ArrayList<>();
        var plan = h.plan();
        out.add("Cluster " + plan.getClusterId() + "  (plan version " + plan.getVersion() + ", "
                + plural(plan.getNodesCount(), "node") + ", " + plural(plan.getGroupCount(), "group")
                + ", replication factor " + plan.getReplicationFactor() + ")");
        List<String> problems = h.problems();
        out.add(problems.isEmpty() ? "Health: OK, every node is up and every group has a leader"
                : "Health: DEGRADED, " + String.join("; ", problems));
        out.add("");

        // The RACK column only when racks are in use, so that the table stays as it was for clusters without.
        boolean racks = Rebalancing.anyRack(plan);
        List<String> headers = new ArrayList<>(List.of("NODE", "ADDRESS", "STATE", "UPTIME", "GROUPS", "LEADS",
                "META"));
        if (racks) {
            headers.add(2, "RACK");
        }
        TextTable t = new TextTable(headers.toArray(new String[0]));
        for (NodeRow n : h.nodes()) {
            boolean up = n.state() == NodeState.UP;
            String groups = !up ? "-" : n.groupsHosted() == n.groupsPlanned() ? Integer.toString(n.groupsHosted())
                    : n.groupsHosted() + " of " + n.groupsPlanned();
            Optional<PlanNode> planned = PlanView.node(plan, n.nodeId());
            String state = n.stateLabel() + (planned.filter(Rebalancing::isLeaving).isPresent() ? ", leaving" : "");
            List<String> row = new ArrayList<>(List.of(n.nodeId(), n.address(), state,
                    up ? Durations.uptime(n.uptimeMs()) : "-", groups, up ? Integer.toString(n.groupsLed()) : "-",
                    meta(n)));
            if (racks) {
                row.add(2, planned.map(PlanNode::getRack).filter(r -> !r.isEmpty()).orElse("-"));
            }
            t.row(row.toArray());
        }
        out.addAll(t.lines("  "));
        out.add("");

        int groupCount = h.groups().size();
        String withLeader = h.groupsWithLeader() + "/" + groupCount;
        if (h.groupsWithLeader() < groupCount) {
            withLeader += " (no leader: " + ClusterHealth.ranges(h.leaderlessGroups()) + ")";
        }
        out.add("Groups with a leader: " + withLeader);
        out.add("Metadata group:       " + (h.metaLeader() == null ? "no leader" : "leader " + h.metaLeader())
                + " (members " + String.join(", ", plan.getMetaNodeIdsList()) + ")");
        String balance = h.nodes().stream().filter(n -> n.state() == NodeState.UP)
                .map(n -> n.nodeId() + " " + n.groupsLed()).collect(Collectors.joining(", "));
        out.add("Leader balance:       " + (balance.isEmpty() ? "-" : balance) + "  (" + h.ledByPreferred() + "/"
                + groupCount + " groups led by their preferred replica)");
        out.addAll(Rebalancing.lines(plan));
        out.addAll(progress.lines());
        List<String> lagLines = lagLines(h);
        if (lagLines.isEmpty()) {
            out.add("Lagging replicas:     none");
        } else {
            out.add("Lagging replicas:");
            lagLines.forEach(l -> out.add("  " + l));
        }
        return out;
    }

    /** Down and not-hosting replicas summed up per node; replicas behind one per line. */
    private static List<String> lagLines(ClusterHealth h) {
        Map<String, NodeRow> byId = new TreeMap<>();
        h.nodes().forEach(n -> byId.put(n.nodeId(), n));
        Map<String, List<Integer>> down = new TreeMap<>();
        Map<String, List<Integer>> notHosted = new TreeMap<>();
        Map<String, List<Lag>> behind = new TreeMap<>();
        Map<String, List<Integer>> removed = new TreeMap<>();
        Map<String, List<Integer>> readmitting = new TreeMap<>();
        for (Lag l : h.lagging()) {
            switch (l.kind()) {
                case DOWN -> down.computeIfAbsent(l.nodeId(), k -> new ArrayList<>()).add(l.group());
                case NOT_HOSTED -> notHosted.computeIfAbsent(l.nodeId(), k -> new ArrayList<>()).add(l.group());
                case BEHIND, STOPPED, STUCK -> behind.computeIfAbsent(l.nodeId(), k -> new ArrayList<>()).add(l);
                case REMOVED -> removed.computeIfAbsent(l.nodeId(), k -> new ArrayList<>()).add(l.group());
                case READMITTING -> readmitting.computeIfAbsent(l.nodeId(), k -> new ArrayList<>()).add(l.group());
            }
        }
        TextTable t = new TextTable("", "");
        int rows = 0;
        for (String id : byId.keySet()) {
            List<Integer> d = down.get(id);
            if (d != null) {
                NodeRow n = byId.get(id);
                String why = n.problem() == null ? "" : " (" + n.problem() + ")";
                t.row(id, n.state().label() + why + ": replica of " + plural(d.size(), "group") + " ("
                        + ClusterHealth.ranges(d) + ")");
                rows++;
            }
            List<Integer> nh = notHosted.get(id);
            if (nh != null) {
                // What the node said of them (a replica it should hold but whose Raft division is gone), if anything.
                String said = h.lagging().stream().filter(l -> l.kind() == LagKind.NOT_HOSTED && l.nodeId().equals(id)
                        && !l.problem().isEmpty()).map(Lag::problem).findFirst().map(p -> " (" + p + ")").orElse("");
                t.row(id, "does not host " + (nh.size() == 1 ? "group " : "groups ") + ClusterHealth.ranges(nh)
                        + " it is a replica of" + said);
                rows++;
            }
            List<Integer> rm = removed.get(id);
            if (rm != null) {
                t.row(id, "lost its data: being removed from " + groups(rm) + " before re-admission (one replica"
                        + " fewer until it is back)");
                rows++;
            }
            List<Integer> ra = readmitting.get(id);
            if (ra != null) {
                t.row(id, "lost its data: re-admitted to " + groups(ra) + ", catching up without a vote (one replica"
                        + " fewer until it is back)");
                rows++;
            }
            for (Lag l : behind.getOrDefault(id, List.of())) {
                if (l.kind() != LagKind.BEHIND) {
                    // Not lag that passes by itself: the replica applies nothing (more) until the node restarts.
                    t.row(id, "group " + l.group() + ": replica " + l.kind().name() + " at applied index "
                            + l.commitIndex() + " (" + l.problem() + ")");
                    rows++;
                    continue;
                }
                String leader = h.groups().get(l.group()).leader();
                t.row(id, "group " + l.group() + ": commit index " + l.commitIndex() + ", leader " + leader + " at "
                        + l.leaderCommitIndex() + " (" + l.behind() + " behind)");
                rows++;
            }
        }
        if (rows == 0) {
            return List.of();
        }
        List<String> lines = t.lines("");
        return lines.subList(1, lines.size()); // without the (empty) header
    }

    private static String meta(NodeRow n) {
        if (!n.metaMember()) {
            return "-";
        }
        return n.metaLeader() ? "leader" : "member";
    }

    private static String groups(List<Integer> groups) {
        return (groups.size() == 1 ? "group " : "groups ") + ClusterHealth.ranges(groups);
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    /** The JSON without move progress (no node reported any). */
    public static ObjectNode json(ClusterHealth h) {
        return json(h, MoveProgress.NONE);
    }

    /**
     * The JSON, with {@code rebalance} (the driver's count, null when none) and each move's copy progress (fields
     * null when unknown).
     */
    public static ObjectNode json(ClusterHealth h, MoveProgress progress) {
        var plan = h.plan();
        ObjectNode o = NODES.objectNode();
        o.put("initialized", true);
        o.put("cluster_id", plan.getClusterId());
        o.put("plan_version", plan.getVersion());
        o.put("replication_factor", plan.getReplicationFactor());
        o.put("group_count", plan.getGroupCount());
        o.put("healthy", h.healthy());
        ArrayNode problems = o.putArray("problems");
        h.problems().forEach(problems::add);
        ArrayNode nodes = o.putArray("nodes");
        for (NodeRow n : h.nodes()) {
            ObjectNode j = nodes.addObject();
            j.put("node_id", n.nodeId());
            j.put("address", n.address());
            j.put("state", n.stateJson());
            if (n.problem() != null) {
                j.put("problem", n.problem());
            }
            boolean up = n.state() == NodeState.UP;
            if (up) {
                j.put("uptime_ms", n.uptimeMs());
                j.put("groups_hosted", n.groupsHosted());
            }
            j.put("groups_planned", n.groupsPlanned());
            if (up) {
                j.put("groups_led", n.groupsLed());
                j.put("groups_catching_up", n.groupsCatchingUp());
                j.put("replicas_stopped", n.replicasStopped());
                progress.snapshotBytes(n.nodeId(), j);
            }
            j.put("preferred_leader_of", n.preferredLeaderOf());
            j.put("meta", n.metaMember() ? (n.metaLeader() ? "leader" : "member") : null);
            Optional<PlanNode> planned = PlanView.node(plan, n.nodeId());
            String rack = planned.map(PlanNode::getRack).orElse("");
            j.put("rack", rack.isEmpty() ? null : rack);
            boolean leaving = planned.filter(Rebalancing::isLeaving).isPresent();
            j.put("membership", leaving ? "leaving" : "active");
            if (leaving) {
                j.put("replicas_left", Rebalancing.replicasHeld(plan, n.nodeId()));
            }
        }
        o.put("groups_with_leader", h.groupsWithLeader());
        ArrayNode leaderless = o.putArray("leaderless_groups");
        h.leaderlessGroups().forEach(leaderless::add);
        o.put("groups_led_by_preferred", h.ledByPreferred());
        ObjectNode meta = o.putObject("meta");
        ArrayNode members = meta.putArray("members");
        plan.getMetaNodeIdsList().forEach(members::add);
        meta.put("leader", h.metaLeader());
        Rebalancing.json(plan, o, meta, progress);
        progress.json(o);
        o.put("max_lag", h.maxLag());
        ArrayNode lagging = o.putArray("lagging");
        for (Lag l : h.lagging()) {
            ObjectNode j = lagging.addObject();
            j.put("group", l.group());
            j.put("node_id", l.nodeId());
            j.put("reason", l.kind().json());
            if (l.kind() == LagKind.BEHIND) {
                j.put("commit_index", l.commitIndex());
                j.put("leader_commit_index", l.leaderCommitIndex());
                j.put("behind", l.behind());
            }
            if (l.kind() == LagKind.STOPPED || l.kind() == LagKind.STUCK) {
                j.put("applied_index", l.commitIndex());
            }
            if (!l.problem().isEmpty()) {
                j.put("problem", l.problem());
            }
        }
        ArrayNode groups = o.putArray("groups");
        for (ClusterHealth.GroupRow g : h.groups()) {
            ObjectNode j = groups.addObject();
            j.put("group", g.group());
            ArrayNode replicas = j.putArray("replicas");
            g.replicas().forEach(replicas::add);
            j.put("leader", g.leader());
            j.put("term", g.term());
            if (g.leader() != null) {
                j.put("commit_index", g.commitIndex());
            }
        }
        return o;
    }
}
