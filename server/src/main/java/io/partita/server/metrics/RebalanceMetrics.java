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

/**
 * Rebalancing ({@code partita.rebalance.*}): moves in progress and leaving nodes as the plan this node holds records
 * them (the same on every node once the plan has reached it), and the moves this node completed as the metadata
 * group's leader.
 */
final class RebalanceMetrics implements Rebalancer.Listener {
    private final Counter completed;

    RebalanceMetrics(MetricRegistry registry, Supplier<Optional<ClusterPlan>> plan) {
        registry.register(MetricRegistry.name(MetricNames.REBALANCE, "moves_in_progress"),
                (Gauge<Long>) () -> plan.get().map(Rebalance::movesInProgress).orElse(0L));
        registry.register(MetricRegistry.name(MetricNames.REBALANCE, "nodes_leaving"),
                (Gauge<Long>) () -> plan.get().map(p -> p.getNodesList().stream()
                        .filter(n -> n.getState() == NodeState.NODE_LEAVING).count()).orElse(0L));
        this.completed = registry.counter(MetricRegistry.name(MetricNames.REBALANCE, "moves_completed"));
    }

    @Override
    public void moved(int group, long millis) {
        completed.inc();
    }
}
