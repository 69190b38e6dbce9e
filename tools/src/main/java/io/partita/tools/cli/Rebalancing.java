package io.partita.tools.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.Move;
import io.partita.protocol.v1.NodeState;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import io.partita.raft.cluster.Rebalance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a cluster plan says of membership changes under way ({@code partita node add} / {@code decommission}): the
 * replica moves it records and the nodes that are leaving. Whether the placement is final is up to the metadata
 * group's leader and not in the plan, so only what is in flight is reported.
 */
public final class Rebalancing {

    /** Moves listed in one text line at most; the rest are counted. */
    static final int MOVES_LISTED = 8;

    private Rebalancing() {
    }

    /**
     * One replica in flight.
     *
     * @param group the data group, or null for the metadata group
     * @param to    the target node, or null when the replica is dropped without a replacement
     */
    public record Moving(Integer group, String from, String to) {
        /** {@code group 3: n1 -> n4}, {@code metadata: n1 -> n4}, {@code metadata: n5 -> (none)}. */
        public String text() {
            return (group == null ? "metadata" : "group " + group) + ": " + from + " -> " + (to == null ? "(none)"
                    : to);
        }
    }

    /** The moves the plan records: data groups in order, then the metadata group's. */
    public static List<Moving> moves(ClusterPlan plan) {
        List<Moving> out = new ArrayList<>();
        for (PlanGroup g : plan.getGroupsList()) {
            if (Rebalance.moving(g.getMove())) {
                out.add(moving(g.getGroup(), g.getMove()));
            }
        }
        if (Rebalance.moving(plan.getMetaMove())) {
            out.add(moving(null, plan.getMetaMove()));
        }
        return out;
    }

    private static Moving moving(Integer group, Move m) {
        return new Moving(group, m.getFromNodeId(), m.getToNodeId().isEmpty() ? null : m.getToNodeId());
    }

    /**
     * The replicas the plan still places on a node: the groups listing it (a moving replica counts on its source
     * until the move completes) plus its seat in the metadata group.
     */
    public static int replicasHeld(ClusterPlan plan, String nodeId) {
        int n = plan.getMetaNodeIdsList().contains(nodeId) ? 1 : 0;
        for (PlanGroup g : plan.getGroupsList()) {
            if (g.getReplicaNodeIdsList().contains(nodeId)) {
                n++;
            }
        }
        return n;
    }

    /** {@code 1 replica}, {@code 3 replicas}. */
    public static String replicas(int n) {
        return n + (n == 1 ? " replica" : " replicas");
    }

    /** {@code 1 replica left}, {@code 3 replicas left}. */
    public static String replicasLeft(int n) {
        return replicas(n) + " left";
    }

    public static List<PlanNode> leaving(ClusterPlan plan) {
        return plan.getNodesList().stream().filter(Rebalancing::isLeaving).toList();
    }

    public static boolean isLeaving(PlanNode n) {
        return n.getState() == NodeState.NODE_LEAVING;
    }

    /** The node whose client address is {@code address}. */
    public static Optional<PlanNode> nodeAt(ClusterPlan plan, String address) {
        return plan.getNodesList().stream().filter(n -> n.getClientAddress().equals(address)).findFirst();
    }

    /** Whether any node of the plan has a rack label (status then shows a RACK column). */
    public static boolean anyRack(ClusterPlan plan) {
        return plan.getNodesList().stream().anyMatch(n -> !n.getRack().isEmpty());
    }

    /**
     * The status lines, none when nothing is in flight:
     * <pre>
     * Moves:                2 in progress (group 3: n1 -&gt; n4, metadata: n1 -&gt; n4)
     * Leaving nodes:        n4 (3 replicas left)
     * </pre>
     */
    public static List<String> lines(ClusterPlan plan) {
        List<String> out = new ArrayList<>();
        List<Moving> moves = moves(plan);
        if (!moves.isEmpty()) {
            List<String> listed = new ArrayList<>();
            for (int i = 0; i < Math.min(moves.size(), MOVES_LISTED); i++) {
                listed.add(moves.get(i).text());
            }
            if (moves.size() > MOVES_LISTED) {
                listed.add("and " + (moves.size() - MOVES_LISTED) + " more");
            }
            out.add("Moves:                " + moves.size() + " in progress (" + String.join(", ", listed) + ")");
        }
        List<PlanNode> leaving = leaving(plan);
        if (!leaving.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (PlanNode n : leaving) {
                parts.add(n.getNodeId() + " (" + replicasLeft(replicasHeld(plan, n.getNodeId())) + ")");
            }
            out.add("Leaving nodes:        " + String.join(", ", parts));
        }
        return out;
    }

    /**
     * The same for {@code status --json}: {@code moves} (data groups) and {@code meta.move} (null if none), each with
     * its copy's progress ({@link MoveProgress#json(Moving, ObjectNode)}).
     */
    static void json(ClusterPlan plan, ObjectNode status, ObjectNode meta, MoveProgress progress) {
        ArrayNode moves = status.putArray("moves");
        meta.putNull("move");
        for (Moving m : moves(plan)) {
            ObjectNode j = m.group() == null ? meta.putObject("move") : moves.addObject();
            if (m.group() != null) {
                j.put("group", m.group());
            }
            j.put("from", m.from());
            j.put("to", m.to());
            progress.json(m, j);
        }
    }
}
