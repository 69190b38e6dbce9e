package io.partita.server.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.NodeState;
import io.partita.raft.cluster.Rebalance;
import io.partita.server.cluster.Rebalancer;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Rebalancing ({@code partita.rebalance.*}): moves in progress and leaving nodes as the plan this node holds records
 * them (the same on every node once the plan has reached it); the moves this node completed or took back as the
 * metadata group's leader, and the progress of the rebalance it drives (0 on the other nodes).
 */
final class RebalanceMetrics implements Rebalancer.Listener {
    private final Counter completed;
    private final Counter takenBack;
    /** The rebalance under way on this driver; null when none, or when this node does not drive. */
    private volatile Rebalancer.Progress current;

    RebalanceMetrics(MetricRegistry registry, Supplier<Optional<ClusterPlan>> plan) {
        registry.register(MetricRegistry.name(MetricNames.REBALANCE, "moves_in_progress"),
                (Gauge<Long>) () -> plan.get().map(Rebalance::movesInProgress).orElse(0L));
        registry.register(MetricRegistry.name(MetricNames.REBALANCE, "nodes_leaving"),
                (Gauge<Long>) () -> plan.get().map(p -> p.getNodesList().stream()
                        .filter(n -> n.getState() == NodeState.NODE_LEAVING).count()).orElse(0L));
        this.completed = registry.counter(MetricRegistry.name(MetricNames.REBALANCE, "moves_completed"));
        this.takenBack = registry.counter(MetricRegistry.name(MetricNames.REBALANCE, "moves_taken_back"));
        gauge(registry, "moves_in_rebalance", Rebalancer.Progress::total);
        gauge(registry, "moves_done_in_rebalance", Rebalancer.Progress::completed);
        gauge(registry, "moves_to_plan", Rebalancer.Progress::toPlan);
    }

    private void gauge(MetricRegistry registry, String name, ToLongFunction<Rebalancer.Progress> read) {
        registry.register(MetricRegistry.name(MetricNames.REBALANCE, name), (Gauge<Long>) () -> {
            Rebalancer.Progress p = current;
            return p == null ? 0L : read.applyAsLong(p);
        });
    }

    @Override
    public void moved(int group, long millis) {
        completed.inc();
    }

    @Override
    public void takenBack(int group) {
        takenBack.inc();
    }

    @Override
    public void progressed(Optional<Rebalancer.Progress> progress) {
        // An ended rebalance reads 0, like none: the gauges describe the one under way.
        current = progress.filter(Rebalancer.Progress::active).orElse(null);
    }
}
