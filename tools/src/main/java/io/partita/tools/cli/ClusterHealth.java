package io.partita.tools.cli;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.FollowerProgress;
import io.partita.protocol.v1.GroupStatus;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.protocol.v1.PlanGroup;
import io.partita.protocol.v1.PlanNode;
import io.partita.protocol.v1.ReplicaState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The health of a cluster as {@code partita status} reports it, computed from the plan and every node's
 * {@code NodeStatus} answer (or the reason there is none).
 *
 * <p>A group's leader is the node that reports itself LEADER of it with the highest term (a deposed leader that has
 * not heard of the new term yet loses). A replica lags when its node is down or not serving the cluster, when its
 * node does not host the group, or when its commit index (the higher of what it reports and what the leader last
 * heard from it) is more than {@code maxLag} entries below the leader's. A replica its node reports stopped (Ratis
 * closed it after an apply failed) or stuck is listed as such, never counts as a leader, and makes the cluster
 * unhealthy; one the node reports missing counts as not hosted.
 */
public final class ClusterHealth {

    /** How a node of the plan answered. */
    public enum NodeState {
        /** Answered as the planned node of this cluster. */
        UP,
        /** No answer. */
        DOWN,
        /** Answered, but has not joined a cluster (e.g. its data-dir was emptied). */
        NOT_JOINED,
        /** Answered as another node or as a member of another cluster. */
        OTHER;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One node: state and its share of the groups ({@code groupsPlanned} counts the groups moving onto it too).
     * {@code groupsCatchingUp} counts the groups of an up node that it does not host yet or whose replica is behind
     * (e.g. after its data directory was wiped, while it is rebuilt from snapshots and the log).
     * {@code replicasStopped} counts its replicas (metadata group included) that it reports stopped, stuck or missing:
     * those need the operator (see the README, "A replica stopped").
     */
    public record NodeRow(String nodeId, String address, NodeState state, String problem, long uptimeMs,
                          int groupsHosted, int groupsPlanned, int groupsLed, int preferredLeaderOf,
                          boolean metaMember, boolean metaLeader, int groupsCatchingUp, int replicasStopped) {

        /** {@code up}, {@code replica stopped}, {@code catching up}, {@code down}, ... */
        public String stateLabel() {
            return stateJson().replace('_', ' ');
        }

        /** {@code up}, {@code replica_stopped}, {@code catching_up}, {@code down}, ... */
        public String stateJson() {
            if (state == NodeState.UP && replicasStopped > 0) {
                return "replica_stopped";
            }
            return state == NodeState.UP && groupsCatchingUp > 0 ? "catching_up" : state.json();
        }
    }

    /** One group: its replicas (preferred leader first), the leader found (null if none), its term and commit. */
    public record GroupRow(int group, List<String> replicas, String leader, long term, long commitIndex) {
    }

    /** Why a replica lags. */
    public enum LagKind {
        /** The replica's node is down (or not serving this cluster). */
        DOWN,
        /** The replica's node is up but does not host the group. */
        NOT_HOSTED,
        /** The replica's commit index is too far behind the leader's. */
        BEHIND,
        /**
         * The replica lost its state and its group is dropping it before taking it back: the group runs with one
         * replica fewer until then.
         */
        REMOVED,
        /** The replica lost its state, was dropped, and catches up without a vote before its group takes it back. */
        READMITTING,
        /** The replica stopped applying the log (Ratis closed it after an apply failed) until its node restarts. */
        STOPPED,
        /** The replica's applied index has stood still for a while with its commit index ahead. */
        STUCK;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A lagging replica; the indexes are only meaningful for {@link LagKind#BEHIND}, {@code problem} is what the
     * node said of its replica (empty if nothing).
     */
    public record Lag(int group, String nodeId, LagKind kind, long commitIndex, long leaderCommitIndex,
                      String problem) {
        public Lag(int group, String nodeId, LagKind kind, long commitIndex, long leaderCommitIndex) {
            this(group, nodeId, kind, commitIndex, leaderCommitIndex, "");
        }

        public long behind() {
            return leaderCommitIndex - commitIndex;
        }
    }

    private final ClusterPlan plan;
    private final long maxLag;
    private final List<NodeRow> nodes = new ArrayList<>();
    private final List<GroupRow> groups = new ArrayList<>();
    private final List<Lag> lagging = new ArrayList<>();
    private String metaLeader;
    /** Members whose metadata-group replica is stopped, stuck or missing, with what they said of it. */
    private final Map<String, GroupStatus> metaReplicaProblems = new LinkedHashMap<>();

    private ClusterHealth(ClusterPlan plan, long maxLag) {
        this.plan = plan;
        this.maxLag = maxLag;
    }

    /**
     * Analyzes the answers.
     *
     * @param answers  per node id of the plan: the node's answer, absent or null when it did not answer
     * @param problems per node id: why it did not answer (one line), for the nodes without an answer
     * @param maxLag   commit-index distance from the leader above which a follower counts as lagging
     */
    public static ClusterHealth analyze(ClusterPlan plan, Map<String, NodeStatusResponse> answers,
                                        Map<String, String> problems, long maxLag) {
        ClusterHealth h = new ClusterHealth(plan, maxLag);
        h.compute(answers, problems);
        return h;
    }

    private void compute(Map<String, NodeStatusResponse> answers, Map<String, String> problems) {
        Map<String, NodeState> states = new LinkedHashMap<>();
        Map<String, String> why = new HashMap<>();
        Map<String, Map<Integer, GroupStatus>> hosted = new HashMap<>();
        for (PlanNode n : plan.getNodesList()) {
            String id = n.getNodeId();
            NodeStatusResponse s = answers.get(id);
            NodeState state;
            if (s == null) {
                state = NodeState.DOWN;
                why.put(id, problems.getOrDefault(id, "no answer"));
            } else if (!s.getNodeId().equals(id)) {
                state = NodeState.OTHER;
                why.put(id, n.getClientAddress() + " answers as node " + s.getNodeId());
            } else if (s.getClusterId().isEmpty()) {
                state = NodeState.NOT_JOINED;
                why.put(id, "has not joined a cluster");
            } else if (!s.getClusterId().equals(plan.getClusterId())) {
                state = NodeState.OTHER;
                why.put(id, "is a member of cluster " + s.getClusterId());
            } else {
                state = NodeState.UP;
                Map<Integer, GroupStatus> byGroup = new HashMap<>();
                for (GroupStatus g : s.getGroupsList()) {
                    byGroup.put(g.getGroup(), g);
                }
                if (s.hasMeta() && !running(s.getMeta())) {
                    metaReplicaProblems.put(id, s.getMeta());
                }
                hosted.put(id, byGroup);
            }
            states.put(id, state);
        }

        // Metadata group leader: the member that reports LEADER with the highest term.
        long metaTerm = -1;
        for (String id : plan.getMetaNodeIdsList()) {
            NodeStatusResponse s = answers.get(id);
            if (states.get(id) == NodeState.UP && s.hasMeta() && isLeader(s.getMeta()) && s.getMeta().getTerm() > metaTerm) {
                metaTerm = s.getMeta().getTerm();
                metaLeader = id;
            }
        }

        Map<String, Integer> led = new HashMap<>();
        for (PlanGroup pg : plan.getGroupsList()) {
            int g = pg.getGroup();
            List<String> replicas = pg.getReplicaNodeIdsList();
            String leader = null;
            GroupStatus leaderStatus = null;
            long term = 0;
            for (Map.Entry<String, Map<Integer, GroupStatus>> e : hosted.entrySet()) {
                GroupStatus gs = e.getValue().get(g);
                if (gs == null || gs.getReplicaState() == ReplicaState.REPLICA_MISSING) {
                    continue;
                }
                term = Math.max(term, gs.getTerm());
                if (isLeader(gs) && (leaderStatus == null || gs.getTerm() > leaderStatus.getTerm())) {
                    leader = e.getKey();
                    leaderStatus = gs;
                }
            }
            long commit = leaderStatus == null ? 0 : leaderStatus.getCommitIndex();
            groups.add(new GroupRow(g, List.copyOf(replicas), leader, term, commit));
            if (leader != null) {
                led.merge(leader, 1, Integer::sum);
            }
            for (String r : replicas) {
                if (r.equals(leader)) {
                    continue;
                }
                if (states.get(r) != NodeState.UP) {
                    lagging.add(new Lag(g, r, LagKind.DOWN, 0, commit));
                    continue;
                }
                GroupStatus own = hosted.get(r).get(g);
                if (own != null && !own.getReadmission().isEmpty()) {
                    LagKind kind = own.getReadmission().equals("REMOVING") ? LagKind.REMOVED : LagKind.READMITTING;
                    lagging.add(new Lag(g, r, kind, own.getCommitIndex(), commit, ""));
                    continue;
                }
                if (own == null || own.getReplicaState() == ReplicaState.REPLICA_MISSING) {
                    lagging.add(new Lag(g, r, LagKind.NOT_HOSTED, 0, commit, own == null ? "" : own.getReplicaProblem()));
                    continue;
                }
                if (own.getReplicaState() == ReplicaState.REPLICA_STOPPED
                        || own.getReplicaState() == ReplicaState.REPLICA_STUCK) {
                    lagging.add(new Lag(g, r, own.getReplicaState() == ReplicaState.REPLICA_STOPPED ? LagKind.STOPPED
                            : LagKind.STUCK, own.getAppliedIndex(), commit, own.getReplicaProblem()));
                    continue;
                }
                if (leaderStatus == null) {
                    continue;
                }
                long follower = own.getCommitIndex();
                for (FollowerProgress f : leaderStatus.getFollowersList()) {
                    if (f.getNodeId().equals(r)) {
                        follower = Math.max(follower, f.getCommitIndex());
                    }
                }
                if (commit - follower > maxLag) {
                    lagging.add(new Lag(g, r, LagKind.BEHIND, follower, commit));
                }
            }
        }

        Map<String, Integer> catchingUp = new HashMap<>();
        Map<String, Integer> stopped = new HashMap<>();
        for (Lag l : lagging) {
            if (l.kind() == LagKind.DOWN) {
                continue;
            }
            // A replica the node itself reports missing will not come by itself, unlike one not hosted yet.
            boolean needsRestart = l.kind() == LagKind.STOPPED || l.kind() == LagKind.STUCK || missing(l);
            (needsRestart ? stopped : catchingUp).merge(l.nodeId(), 1, Integer::sum);
        }
        metaReplicaProblems.keySet().forEach(id -> stopped.merge(id, 1, Integer::sum));
        Map<String, PlanSummary.NodeShare> shares = PlanSummary.shares(plan);
        // A move's target hosts the group before the plan lists it as a replica: count it as planned there, or an
        // added node would show more groups hosted than planned while replicas move onto it.
        Map<String, Integer> incoming = new HashMap<>();
        for (Rebalancing.Moving m : Rebalancing.moves(plan)) {
            if (m.group() != null && m.to() != null) {
                incoming.merge(m.to(), 1, Integer::sum);
            }
        }
        for (PlanNode n : plan.getNodesList()) {
            String id = n.getNodeId();
            NodeState state = states.get(id);
            NodeStatusResponse s = answers.get(id);
            PlanSummary.NodeShare share = shares.get(id);
            boolean up = state == NodeState.UP;
            nodes.add(new NodeRow(id, n.getClientAddress(), state, why.get(id), up ? s.getUptimeMs() : -1,
                    up ? hostedCount(hosted.get(id)) : 0, share.replicaOf() + incoming.getOrDefault(id, 0),
                    led.getOrDefault(id, 0),
                    share.preferredLeaderOf(), plan.getMetaNodeIdsList().contains(id), id.equals(metaLeader),
                    up ? catchingUp.getOrDefault(id, 0) : 0, up ? stopped.getOrDefault(id, 0) : 0));
        }
    }

    /** A replica that says it leads and still applies: a stopped one may remember being leader. */
    private static boolean isLeader(GroupStatus s) {
        return "LEADER".equals(s.getRole()) && running(s);
    }

    /** Running, or not reported (a node of an older version). */
    private static boolean running(GroupStatus s) {
        return s.getReplicaState() == ReplicaState.REPLICA_RUNNING
                || s.getReplicaState() == ReplicaState.REPLICA_STATE_UNKNOWN;
    }

    /** A replica the plan places on a node that the node itself reports it no longer holds. */
    private static boolean missing(Lag l) {
        return l.kind() == LagKind.NOT_HOSTED && !l.problem().isEmpty();
    }

    private static int hostedCount(Map<Integer, GroupStatus> groups) {
        // Not counted: a replica the node no longer holds, or one reported only because its re-admission has it
        // removed from the group for now (role NONE).
        return (int) groups.values().stream().filter(g -> g.getReplicaState() != ReplicaState.REPLICA_MISSING
                && !"NONE".equals(g.getRole())).count();
    }

    /** Members whose metadata-group replica is not running, with what they reported of it. */
    public Map<String, GroupStatus> metaReplicaProblems() {
        return metaReplicaProblems;
    }

    public ClusterPlan plan() {
        return plan;
    }

    public long maxLag() {
        return maxLag;
    }

    public List<NodeRow> nodes() {
        return nodes;
    }

    public List<GroupRow> groups() {
        return groups;
    }

    public List<Lag> lagging() {
        return lagging;
    }

    /** The metadata group's leader, null if no member reports one. */
    public String metaLeader() {
        return metaLeader;
    }

    public int nodesUp() {
        return (int) nodes.stream().filter(n -> n.state() == NodeState.UP).count();
    }

    /** Whether any node answered at all (up, not joined or other). */
    public boolean anyAnswered() {
        return nodes.stream().anyMatch(n -> n.state() != NodeState.DOWN);
    }

    public int groupsWithLeader() {
        return (int) groups.stream().filter(g -> g.leader() != null).count();
    }

    public List<Integer> leaderlessGroups() {
        return groups.stream().filter(g -> g.leader() == null).map(GroupRow::group).toList();
    }

    /** Groups whose leader is their preferred replica (the first of the plan's list). */
    public int ledByPreferred() {
        return (int) groups.stream().filter(g -> g.leader() != null && g.leader().equals(g.replicas().get(0)))
                .count();
    }

    /** Every node up and caught up, every group and the metadata group led. */
    public boolean healthy() {
        return nodesUp() == nodes.size() && groupsWithLeader() == groups.size() && metaLeader != null
                && nodes.stream().allMatch(n -> n.groupsCatchingUp() == 0 && n.replicasStopped() == 0);
    }

    /** 0 healthy, 1 degraded, 4 no node answered. */
    public int exitCode() {
        if (!anyAnswered()) {
            return ExitCodes.UNAVAILABLE;
        }
        return healthy() ? ExitCodes.OK : 1;
    }

    /** Why the cluster is degraded, e.g. {@code 1 of 3 nodes down (n2)}; empty when healthy. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (NodeState state : new NodeState[] {NodeState.DOWN, NodeState.NOT_JOINED, NodeState.OTHER}) {
            List<String> ids = nodes.stream().filter(n -> n.state() == state).map(NodeRow::nodeId).toList();
            if (!ids.isEmpty()) {
                String what = switch (state) {
                    case DOWN -> "down";
                    case NOT_JOINED -> "not joined";
                    default -> "not serving this cluster";
                };
                out.add(ids.size() + " of " + nodes.size() + (nodes.size() == 1 ? " node " : " nodes ") + what
                        + " (" + String.join(", ", ids) + ")");
            }
        }
        List<Integer> leaderless = leaderlessGroups();
        if (!leaderless.isEmpty()) {
            out.add(leaderless.size() + (leaderless.size() == 1 ? " group" : " groups") + " without a leader ("
                    + ranges(leaderless) + ")");
        }
        if (metaLeader == null) {
            out.add("the metadata group has no leader");
        }
        for (Lag l : lagging) {
            if (l.kind() == LagKind.STOPPED || l.kind() == LagKind.STUCK || missing(l)) {
                out.add(l.nodeId() + "'s replica of group " + l.group() + " is " + (missing(l) ? "missing"
                        : l.kind().json()) + " (" + l.problem() + ")" + (l.kind() == LagKind.STUCK ? ""
                        : ": restart " + l.nodeId()));
            }
        }
        metaReplicaProblems.forEach((id, s) -> out.add(id + "'s replica of the metadata group is "
                + s.getReplicaState().name().substring("REPLICA_".length()).toLowerCase(Locale.ROOT) + " ("
                + s.getReplicaProblem() + ")"));
        for (NodeRow n : nodes) {
            if (n.state() == NodeState.UP && n.groupsCatchingUp() > 0) {
                out.add(n.nodeId() + " catching up (" + n.groupsCatchingUp() + " of " + n.groupsPlanned()
                        + " groups not hosted yet or behind)");
            }
        }
        return out;
    }

    /** Group numbers as ranges: {@code 0-3, 7, 9-10}. */
    public static String ranges(List<Integer> sorted) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(sorted.get(i));
            if (j > i) {
                sb.append('-').append(sorted.get(j));
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
