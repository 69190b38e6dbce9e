package io.partita.server.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.codahale.metrics.jvm.CachedThreadStatesGaugeSet;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import io.partita.engine.storage.NodeStore;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.raft.group.GroupLayout;
import io.partita.raft.group.GroupExpirer;
import io.partita.raft.group.GroupWriter;
import io.partita.server.cluster.ClusterRuntime;
import io.partita.server.cluster.Rebalancer;
import io.partita.server.cluster.RuntimeObserver;
import io.partita.server.snapshot.SnapshotTransfers;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The node's metrics: one Dropwizard {@link MetricRegistry} with the client operation, batching, Raft, RocksDB and
 * JVM metrics, published over JMX (domain {@value #JMX_DOMAIN}) and rendered in the Prometheus text format for the
 * admin HTTP {@code /metrics} endpoint, together with Ratis's own metrics of this node's groups.
 */
public final class NodeMetrics implements RuntimeObserver, AutoCloseable {
    /** The JMX domain of the node's metrics; every name carries the node id as key {@code node}. */
    public static final String JMX_DOMAIN = "partita";

    private final MetricRegistry registry = new MetricRegistry();
    private final OpMetrics ops;
    private final BatchMetrics batches;
    private final RaftMetrics raft;
    private final RocksDbMetrics rocksdb;
    private final RatisMetrics ratis;
    private final ExpiryMetrics expiry;
    private final RebalanceMetrics rebalance;
    private final PrometheusExporter exporter;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final JmxReporter jmx;

    /**
     * @param runtime        the node's cluster runtime, null until it joins a cluster
     * @param transfers      the node's snapshot transfers
     * @param slowThreshold  requests at least this slow are logged; zero turns the log off
     */
    public NodeMetrics(String nodeId, Collection<String> namespaces, NodeStore store,
                       Supplier<ClusterRuntime> runtime, Supplier<Optional<ClusterPlan>> plan,
                       SnapshotTransfers transfers, Duration slowThreshold) {
        this.rebalance = new RebalanceMetrics(registry, plan);
        new SnapshotMetrics(registry, transfers);
        this.ops = new OpMetrics(registry, namespaces, slowThreshold);
        this.batches = new BatchMetrics(registry);
        this.raft = new RaftMetrics(registry, runtime);
        this.rocksdb = new RocksDbMetrics(registry, store);
        this.expiry = new ExpiryMetrics(registry);
        Supplier<GroupLayout> layout = () -> {
            ClusterRuntime rt = runtime.get();
            return rt == null ? null : rt.layout();
        };
        this.ratis = new RatisMetrics(nodeId, layout);
        registerJvm(registry);
        CustomLabelMapper mapper = new CustomLabelMapper(MetricNames.PROMETHEUS);
        PrometheusExporter.Namer partitaNames = (name, metric) ->
                new PrometheusExporter.Named(mapper.getName(name), mapper.getLabels(name, List.of(), List.of()));
        this.exporter = new PrometheusExporter(() -> {
            List<PrometheusExporter.Source> sources = new ArrayList<>();
            sources.add(new PrometheusExporter.Source(registry, partitaNames));
            sources.addAll(ratis.sources());
            return sources;
        });
        this.jmx = JmxReporter.forRegistry(registry)
                .inDomain(JMX_DOMAIN)
                .convertDurationsTo(TimeUnit.MILLISECONDS)
                // Several nodes may share a JVM (tests, embedding): the node id keeps their names apart.
                .createsObjectNamesWith((type, domain, name) -> objectName(domain, nodeId, type, name))
                .build();
        jmx.start();
    }

    private static void registerJvm(MetricRegistry registry) {
        // Used, committed and max of heap and non-heap; per-pool gauges would add a dozen series per generation.
        new MemoryUsageGaugeSet().getMetrics().forEach((name, metric) -> {
            if (name.matches("(heap|non-heap)\\.(used|committed|max)")) {
                registry.register(MetricRegistry.name("jvm.memory", name), metric);
            }
        });
        registry.register("jvm.gc", new GarbageCollectorMetricSet());
        // Thread states walk every thread's info: cached so frequent scrapes stay cheap.
        registry.register("jvm.threads", new CachedThreadStatesGaugeSet(5, TimeUnit.SECONDS));
    }

    private static ObjectName objectName(String domain, String nodeId, String type, String name) {
        try {
            return new ObjectName(domain + ":node=" + ObjectName.quote(nodeId) + ",type=" + type
                    + ",name=" + ObjectName.quote(name));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("no JMX name for metric " + name, e);
        }
    }

    /** Client operation metrics and the slow-request log, for the front end. */
    public OpMetrics ops() {
        return ops;
    }

    /** The node's Dropwizard registry (its own metrics; Ratis keeps its own registries). */
    public MetricRegistry registry() {
        return registry;
    }

    /** Writes every metric, Ratis's included, in the Prometheus text exposition format (version 0.0.4). */
    public void writePrometheus(OutputStream out) throws IOException {
        writer.write(out, exporter.collect());
    }

    /** The content type of {@link #writePrometheus}. */
    public String prometheusContentType() {
        return writer.getContentType();
    }

    @Override
    public void groupHosted(ClusterRuntime runtime, int group) {
        raft.register(group);
        rocksdb.register(group);
    }

    @Override
    public GroupWriter.BatchListener batchListener() {
        return batches;
    }

    @Override
    public GroupExpirer.Listener expiryListener() {
        return expiry;
    }

    /** Where the rebalancer reports the moves it completed or took back, and its progress. */
    public Rebalancer.Listener rebalanceListener() {
        return rebalance;
    }

    @Override
    public void close() {
        jmx.stop();
    }
}
