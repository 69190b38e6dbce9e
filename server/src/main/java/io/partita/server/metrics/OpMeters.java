package io.partita.server.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.partita.protocol.ResultCode;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** The metrics of one operation type on one namespace: a latency timer and a counter per result code. */
final class OpMeters {
    private final MetricRegistry registry;
    private final String resultPrefix;
    private final Timer latency;
    // Created on first use: most (op, namespace, code) triples never occur, and each would be a series.
    private final AtomicReferenceArray<Counter> results = new AtomicReferenceArray<>(ResultCode.values().length);

    OpMeters(MetricRegistry registry, OpType op, String namespace) {
        this.registry = registry;
        this.resultPrefix = MetricRegistry.name(MetricNames.OP_RESULTS, op.label(), namespace);
        this.latency = registry.register(MetricRegistry.name(MetricNames.OP_LATENCY, op.label(), namespace),
                new Timer(new HdrReservoir()));
    }

    void record(ResultCode code, long nanos) {
        latency.update(nanos, TimeUnit.NANOSECONDS);
        Counter counter = results.get(code.ordinal());
        if (counter == null) {
            counter = registry.counter(MetricRegistry.name(resultPrefix, code.name().toLowerCase(Locale.ROOT)));
            results.set(code.ordinal(), counter);
        }
        counter.inc();
    }
}
