package io.partita.server.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Client operation metrics by operation type and namespace, and the slow-request log. Meters exist up front for
 * every configured namespace (the lookup per request is two map reads, no allocation); requests naming any other
 * namespace share the {@value #UNKNOWN_NAMESPACE} label, so a misbehaving client cannot create series.
 */
public final class OpMetrics {
    /** The namespace label of requests for a namespace the node does not have. */
    public static final String UNKNOWN_NAMESPACE = "_unknown";

    private final Map<String, EnumMap<OpType, OpMeters>> byNamespace = new HashMap<>();
    private final SlowRequestLog slowLog;
    private final Histogram frameOps;
    private final Counter frames;
    private final Counter frameOpsTotal;
    private final Histogram replyFrameReplies;

    /**
     * @param slowThreshold requests slower than this are logged with their stage timings; zero turns the log off
     */
    public OpMetrics(MetricRegistry registry, Collection<String> namespaces, Duration slowThreshold) {
        for (String ns : namespaces) {
            byNamespace.put(ns, meters(registry, ns));
        }
        byNamespace.put(UNKNOWN_NAMESPACE, meters(registry, UNKNOWN_NAMESPACE));
        this.slowLog = new SlowRequestLog(slowThreshold);
        String m = MetricNames.MULTIPLEX;
        this.frameOps = registry.register(MetricRegistry.name(m, "ops"), new Histogram(new HdrReservoir()));
        this.frames = registry.counter(MetricRegistry.name(m, "frames"));
        this.frameOpsTotal = registry.counter(MetricRegistry.name(m, "operations"));
        this.replyFrameReplies = registry.register(MetricRegistry.name(m, "replies"),
                new Histogram(new HdrReservoir()));
    }

    /** A Multiplex message (one network call's worth of operations) arrived carrying {@code ops} operations. */
    public void frame(int ops) {
        frameOps.update(ops);
        frames.inc();
        frameOpsTotal.inc(ops);
    }

    /** A Multiplex answer left carrying {@code replies} operations' replies. */
    public void replyFrame(int replies) {
        replyFrameReplies.update(replies);
    }

    private static EnumMap<OpType, OpMeters> meters(MetricRegistry registry, String namespace) {
        EnumMap<OpType, OpMeters> m = new EnumMap<>(OpType.class);
        for (OpType op : OpType.values()) {
            m.put(op, new OpMeters(registry, op, namespace));
        }
        return m;
    }

    /** Starts timing a request for {@code namespace} as the client named it (possibly unknown). */
    public RequestTrace start(OpType op, String namespace) {
        EnumMap<OpType, OpMeters> m = byNamespace.get(namespace);
        String label = m == null ? UNKNOWN_NAMESPACE : namespace;
        return new RequestTrace(op, label, (m == null ? byNamespace.get(UNKNOWN_NAMESPACE) : m).get(op), slowLog);
    }
}
