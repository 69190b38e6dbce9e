package io.partita.server.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.partita.raft.group.GroupExpirer;

/** What the expirer removed ({@code partita.expiry.*}): expired records whose space it freed, and those it left. */
final class ExpiryMetrics implements GroupExpirer.Listener {
    private final Counter removed;
    private final Counter kept;

    ExpiryMetrics(MetricRegistry registry) {
        this.removed = registry.counter(MetricRegistry.name(MetricNames.EXPIRY, "removed"));
        this.kept = registry.counter(MetricRegistry.name(MetricNames.EXPIRY, "kept"));
    }

    @Override
    public void expired(int group, int removedRecords, int keptRecords) {
        removed.inc(removedRecords);
        kept.inc(keptRecords);
    }
}
