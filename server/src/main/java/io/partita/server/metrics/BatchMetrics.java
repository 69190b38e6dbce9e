package io.partita.server.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.partita.raft.group.GroupWriter;
import java.util.concurrent.TimeUnit;

/**
 * Group-commit metrics, node-wide: client writes per log entry, bytes before and after LZ4 (their ratio is the
 * compression ratio), and how long Raft takes to answer an entry (replicate, sync, commit, apply).
 */
final class BatchMetrics implements GroupWriter.BatchListener {
    private final Histogram commands;
    private final Counter entries;
    private final Counter writes;
    private final Counter rawBytes;
    private final Counter encodedBytes;
    private final Counter failed;
    private final Timer raftLatency;

    BatchMetrics(MetricRegistry registry) {
        String p = MetricNames.BATCH;
        this.commands = registry.register(MetricRegistry.name(p, "commands"), new Histogram(new HdrReservoir()));
        this.entries = registry.counter(MetricRegistry.name(p, "entries"));
        this.writes = registry.counter(MetricRegistry.name(p, "writes"));
        this.rawBytes = registry.counter(MetricRegistry.name(p, "raw_bytes"));
        this.encodedBytes = registry.counter(MetricRegistry.name(p, "encoded_bytes"));
        this.failed = registry.counter(MetricRegistry.name(p, "failed"));
        this.raftLatency = registry.register(MetricRegistry.name(p, "raft_latency"), new Timer(new HdrReservoir()));
        registry.register(MetricRegistry.name(p, "compression_ratio"), (Gauge<Double>) () -> {
            long encoded = encodedBytes.getCount();
            return encoded == 0 ? 0.0 : (double) rawBytes.getCount() / encoded;
        });
    }

    @Override
    public void onBatch(int commandCount, int raw, int encoded) {
        commands.update(commandCount);
        entries.inc();
        writes.inc(commandCount);
        rawBytes.inc(raw);
        encodedBytes.inc(encoded);
    }

    @Override
    public void onReply(long nanos, boolean success) {
        raftLatency.update(nanos, TimeUnit.NANOSECONDS);
        if (!success) {
            failed.inc();
        }
    }
}
