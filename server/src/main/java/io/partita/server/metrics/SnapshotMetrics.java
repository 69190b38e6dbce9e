package io.partita.server.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.partita.server.snapshot.SnapshotTransfers;
import io.partita.server.snapshot.SnapshotTransfers.Direction;

/**
 * Snapshot transfers ({@code partita.snapshot.*}): data bytes sent and received per group, counted as they pass,
 * and the transfers under way; plus the bytes this node received as a move's target ({@code partita.rebalance}).
 * A group's byte counters appear with its first transfer in that direction.
 */
final class SnapshotMetrics implements SnapshotTransfers.Listener {
    private final MetricRegistry registry;
    private final SnapshotTransfers transfers;

    SnapshotMetrics(MetricRegistry registry, SnapshotTransfers transfers) {
        this.registry = registry;
        this.transfers = transfers;
        for (Direction d : Direction.values()) {
            registry.register(MetricRegistry.name(MetricNames.SNAPSHOT, "transfers_in_progress", d.label()),
                    (Gauge<Long>) () -> transfers.inProgress(d));
        }
        registry.register(MetricRegistry.name(MetricNames.REBALANCE, "move_bytes_received"),
                new SuppliedCounter(transfers::moveBytesReceived));
        transfers.watch(this);
    }

    @Override
    public void firstTransfer(Direction direction, int group) {
        registry.counter(MetricRegistry.name(MetricNames.SNAPSHOT, "transfer_bytes", direction.label(),
                Integer.toString(group)), () -> new SuppliedCounter(() -> transfers.bytes(direction, group)));
    }
}
