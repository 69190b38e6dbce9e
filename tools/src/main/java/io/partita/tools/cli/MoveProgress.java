package io.partita.tools.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.protocol.v1.RebalanceProgress;
import io.partita.protocol.v1.SnapshotTransferStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * How far the replica moves have come, from what the nodes report in their status: the rebalance as its driver (the
 * metadata group's leader) counts it, and for each move in progress the snapshot its target is fetching. Rates and
 * ETAs are derived here from counts and the elapsed times the nodes measured themselves (no clock is compared across
 * machines); where there is nothing to estimate from they are unknown, never guessed.
 */
public final class MoveProgress {

    /** Nothing reported: no driver, no transfer. */
    static final MoveProgress NONE = new MoveProgress(ClusterPlan.getDefaultInstance(), null, null, Map.of());

    private final ClusterPlan plan;
    private final String driver;
    private final RebalanceProgress rebalance;
    private final Map<String, NodeStatusResponse> answers;

    private MoveProgress(ClusterPlan plan, String driver, RebalanceProgress rebalance,
                         Map<String, NodeStatusResponse> answers) {
        this.plan = plan;
        this.driver = driver;
        this.rebalance = rebalance;
        this.answers = answers;
    }

    /**
     * @param answers    per node id, the nodes that answered
     * @param metaLeader the metadata group's leader as the nodes report it (null if none): its count is the one in
     *                   force when a former leader still reports an older one
     */
    public static MoveProgress of(ClusterPlan plan, Map<String, NodeStatusResponse> answers, String metaLeader) {
        String driver = null;
        for (Map.Entry<String, NodeStatusResponse> e : answers.entrySet()) {
            if (e.getValue().hasRebalance() && (driver == null || e.getKey().equals(metaLeader))) {
                driver = e.getKey();
            }
        }
        return new MoveProgress(plan, driver, driver == null ? null : answers.get(driver).getRebalance(),
                Map.copyOf(answers));
    }

    /** The node counting the rebalance and its count; empty when no node reports one. */
    public Optional<RebalanceProgress> rebalance() {
        return Optional.ofNullable(rebalance);
    }

    /**
     * The copy of one move in progress: the snapshot its target is receiving.
     *
     * @param received   bytes received so far; empty when the target reports no transfer of the group (it catches
     *                   up from the log, waits for its leader, or did not answer)
     * @param total      the snapshot's size, as the node sending it reports; empty when unknown
     * @param elapsedMs  how long the transfer has run, on the target
     * @param source     the node sending it
     */
    public record Copy(OptionalLong received, OptionalLong total, long elapsedMs, String source) {
        static final Copy NONE = new Copy(OptionalLong.empty(), OptionalLong.empty(), 0, "");

        /** Bytes per second so far; empty before anything measurable arrived. */
        public OptionalDouble bytesPerSecond() {
            return received.isPresent() ? rate(received.getAsLong(), elapsedMs) : OptionalDouble.empty();
        }

        /** Time left at the rate so far; empty without a size or a rate. */
        public OptionalLong etaMs() {
            if (received.isEmpty() || total.isEmpty()) {
                return OptionalLong.empty();
            }
            return eta(total.getAsLong() - received.getAsLong(), bytesPerSecond(), 1000);
        }
    }

    /** The copy of a move (none for the metadata group, which catches up from its log, or for a removal). */
    public Copy copy(Rebalancing.Moving move) {
        if (move.group() == null || move.to() == null) {
            return Copy.NONE;
        }
        NodeStatusResponse target = answers.get(move.to());
        if (target == null) {
            return Copy.NONE;
        }
        for (SnapshotTransferStatus t : target.getTransfersList()) {
            if (!t.getSending() && t.getGroup() == move.group()) {
                return new Copy(OptionalLong.of(t.getBytes()), sizeSentBy(t.getPeerNodeId(), move.group()),
                        t.getElapsedMs(), t.getPeerNodeId());
            }
        }
        return Copy.NONE;
    }

    /** The size the sender reports of the group's snapshot it sends, if it sends exactly one. */
    private OptionalLong sizeSentBy(String sender, int group) {
        NodeStatusResponse s = answers.get(sender);
        if (s == null) {
            return OptionalLong.empty();
        }
        List<SnapshotTransferStatus> sending = s.getTransfersList().stream()
                .filter(t -> t.getSending() && t.getGroup() == group && t.getTotalBytes() > 0).toList();
        // Two transfers of the group from one sender (another replica catching up too): which is ours is unknown.
        return sending.size() == 1 ? OptionalLong.of(sending.get(0).getTotalBytes()) : OptionalLong.empty();
    }

    // ---- pure arithmetic, unknown when there is nothing to go on ----

    /** {@code amount} per second over {@code elapsedMs}; empty when nothing was counted or no time passed. */
    static OptionalDouble rate(long amount, long elapsedMs) {
        return amount > 0 && elapsedMs > 0 ? OptionalDouble.of(amount * 1000.0 / elapsedMs) : OptionalDouble.empty();
    }

    /**
     * Milliseconds until {@code left} more are done at {@code rate} per {@code perMs} milliseconds: 0 when none is
     * left, empty without a rate.
     */
    static OptionalLong eta(long left, OptionalDouble rate, long perMs) {
        if (left <= 0) {
            return OptionalLong.of(0);
        }
        if (rate.isEmpty() || rate.getAsDouble() <= 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.round(left / rate.getAsDouble() * perMs));
    }

    /** Completed moves per minute over the rebalance so far; empty before the first completes. */
    static OptionalDouble movesPerMinute(RebalanceProgress p) {
        OptionalDouble perSecond = rate(p.getMovesCompleted(), p.getElapsedMs());
        return perSecond.isPresent() ? OptionalDouble.of(perSecond.getAsDouble() * 60) : OptionalDouble.empty();
    }

    /** The rebalance's time left: the moves not done at the pace of those done. */
    static OptionalLong etaMs(RebalanceProgress p) {
        if (!p.getActive()) {
            return OptionalLong.of(0);
        }
        return eta(p.getMovesInProgress() + p.getMovesToPlan(), rate(p.getMovesCompleted(), p.getElapsedMs()), 1000);
    }

    static long total(RebalanceProgress p) {
        return (long) p.getMovesCompleted() + p.getMovesInProgress() + p.getMovesToPlan();
    }

    /** {@code 1.5 MiB/s}, or {@code rate unknown}. */
    static String bytesRate(OptionalDouble bytesPerSecond) {
        return bytesPerSecond.isPresent() ? Sizes.bytes(Math.round(bytesPerSecond.getAsDouble())) + "/s"
                : "rate unknown";
    }

    /** {@code ETA 4m 12s}, or {@code ETA unknown}. */
    static String eta(OptionalLong ms) {
        return "ETA " + (ms.isPresent() ? Durations.uptime(ms.getAsLong()) : "unknown");
    }

    // ---- what status prints ----

    /**
     * The lines after the moves and leaving nodes; none when no node counts a rebalance and nothing moves:
     * <pre>
     * Rebalance:            3 of 8 moves done (2 in progress, 3 to plan), 1m 20s, 2.2 moves/min, ETA 2m 10s
     * Copies:
     *   group 0: n4 -&gt; n3  12.0 MiB of 40.0 MiB from n1  1.0 MiB/s  ETA 28s
     *   group 2: n1 -&gt; n4  no snapshot transfer          rate unknown  ETA unknown
     * </pre>
     */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        if (rebalance != null) {
            out.add("Rebalance:            " + summary(rebalance));
        }
        List<Rebalancing.Moving> copying = Rebalancing.moves(plan).stream()
                .filter(m -> m.group() != null && m.to() != null).toList();
        if (!copying.isEmpty()) {
            out.add("Copies:");
            TextTable t = new TextTable("", "", "", "");
            for (Rebalancing.Moving m : copying) {
                Copy c = copy(m);
                String received = c.received().isEmpty() ? "no snapshot transfer"
                        : Sizes.bytes(c.received().getAsLong())
                        + (c.total().isPresent() ? " of " + Sizes.bytes(c.total().getAsLong()) : "")
                        + " from " + c.source();
                t.row(m.text(), received, bytesRate(c.bytesPerSecond()), eta(c.etaMs()));
            }
            List<String> rows = t.lines("  ");
            out.addAll(rows.subList(1, rows.size())); // without the (empty) header
        }
        return out;
    }

    private String summary(RebalanceProgress p) {
        if (!p.getActive()) {
            return "done, " + moves(p.getMovesCompleted()) + " in " + Durations.uptime(p.getElapsedMs()) + " (ended "
                    + Durations.uptime(p.getFinishedAgoMs()) + " ago" + takenBack(p) + counter(p) + ")";
        }
        OptionalDouble perMinute = movesPerMinute(p);
        return p.getMovesCompleted() + " of " + moves(total(p)) + " done (" + p.getMovesInProgress() + " in progress, "
                + p.getMovesToPlan() + " to plan" + takenBack(p) + "), " + Durations.uptime(p.getElapsedMs()) + ", "
                + (perMinute.isPresent() ? String.format(Locale.ROOT, "%.1f moves/min", perMinute.getAsDouble())
                : "rate unknown") + ", " + eta(etaMs(p)) + counter(p);
    }

    private static String takenBack(RebalanceProgress p) {
        return p.getMovesTakenBack() == 0 ? "" : ", " + p.getMovesTakenBack() + " taken back";
    }

    private String counter(RebalanceProgress p) {
        return p.getResumed() ? "; counted by " + driver + " since it took over (moves done before are not counted)"
                : "";
    }

    private static String moves(long n) {
        return n + (n == 1 ? " move" : " moves");
    }

    // ---- status --json ----

    /**
     * {@code rebalance}: the driver's count ({@code null} when no node reports one), with {@code moves_total},
     * {@code moves_per_minute} and {@code eta_ms} ({@code null} when unknown).
     */
    void json(ObjectNode status) {
        if (rebalance == null) {
            status.putNull("rebalance");
            return;
        }
        RebalanceProgress p = rebalance;
        ObjectNode j = status.putObject("rebalance");
        j.put("driver", driver);
        j.put("active", p.getActive());
        j.put("moves_total", total(p));
        j.put("moves_completed", p.getMovesCompleted());
        j.put("moves_in_progress", p.getMovesInProgress());
        j.put("moves_to_plan", p.getMovesToPlan());
        j.put("moves_taken_back", p.getMovesTakenBack());
        j.put("elapsed_ms", p.getElapsedMs());
        j.put("resumed", p.getResumed());
        OptionalDouble perMinute = movesPerMinute(p);
        if (perMinute.isPresent()) {
            j.put("moves_per_minute", perMinute.getAsDouble());
        } else {
            j.putNull("moves_per_minute");
        }
        putOptional(j, "eta_ms", etaMs(p));
        if (!p.getActive()) {
            j.put("finished_ago_ms", p.getFinishedAgoMs());
        }
    }

    /** A move's copy in {@code status --json}: each field {@code null} when unknown. */
    void json(Rebalancing.Moving move, ObjectNode j) {
        Copy c = copy(move);
        putOptional(j, "bytes_received", c.received());
        putOptional(j, "total_bytes", c.total());
        OptionalDouble rate = c.bytesPerSecond();
        if (rate.isPresent()) {
            j.put("bytes_per_second", Math.round(rate.getAsDouble()));
        } else {
            j.putNull("bytes_per_second");
        }
        putOptional(j, "eta_ms", c.etaMs());
        j.put("copy_source", c.source().isEmpty() ? null : c.source());
    }

    /**
     * A node's snapshot bytes since it started, in {@code status --json}: {@code snapshot_bytes_sent},
     * {@code snapshot_bytes_received} and, of those, {@code move_bytes_received}; nothing if it did not answer.
     */
    void snapshotBytes(String nodeId, ObjectNode j) {
        NodeStatusResponse s = answers.get(nodeId);
        if (s != null) {
            j.put("snapshot_bytes_sent", s.getSnapshotBytesSent());
            j.put("snapshot_bytes_received", s.getSnapshotBytesReceived());
            j.put("move_bytes_received", s.getMoveBytesReceived());
        }
    }

    private static void putOptional(ObjectNode j, String field, OptionalLong v) {
        if (v.isPresent()) {
            j.put(field, v.getAsLong());
        } else {
            j.putNull(field);
        }
    }
}
