package io.partita.server.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports Dropwizard registries to Prometheus, several Dropwizard metrics per Prometheus family: the label values
 * are segments of the Dropwizard names (see {@link MetricNames}). prometheus-metrics-instrumentation-dropwizard's
 * own {@code DropwizardExports} maps names the same way (its {@code CustomLabelMapper} is used here) but emits one
 * family per Dropwizard metric, which the Prometheus model rejects as duplicate names as soon as two metrics share
 * a family ({@code partita_op_latency_seconds} for put and get); this collector merges them into one family.
 *
 * <p>Timers become summaries in seconds, histograms summaries, counters and meters counters, numeric and boolean
 * gauges gauges; other gauges are skipped.
 */
final class PrometheusExporter implements MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusExporter.class);
    private static final double NANOS_TO_SECONDS = 1e-9;

    /** A Prometheus name and labels for a Dropwizard metric. */
    record Named(String name, Labels labels) {
    }

    /** Names a registry's metrics; null skips a metric. */
    interface Namer {
        Named name(String dropwizardName, Metric metric);
    }

    /** A registry and how to name its metrics. */
    record Source(MetricRegistry registry, Namer namer) {
    }

    private enum Kind { GAUGE, COUNTER, SUMMARY }

    private record Family(Kind kind, List<DataPointSnapshot> points, Set<Labels> seen) {
    }

    private final Supplier<List<Source>> sources;

    PrometheusExporter(Supplier<List<Source>> sources) {
        this.sources = sources;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new LinkedHashMap<>();
        for (Source source : sources.get()) {
            source.registry().getMetrics().forEach((name, metric) -> {
                try {
                    add(families, source.namer().name(name, metric), metric);
                } catch (RuntimeException e) {
                    // One failing gauge (e.g. a group closing under it) must not fail the scrape.
                    LOG.debug("Metric {} not exported: {}", name, e.toString());
                }
            });
        }
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        families.forEach((name, f) -> out.metricSnapshot(snapshot(name, f)));
        return out.build();
    }

    private static void add(Map<String, Family> families, Named named, Metric metric) {
        if (named == null) {
            return;
        }
        Kind kind;
        DataPointSnapshot point;
        String name = named.name();
        if (metric instanceof Gauge<?> g) {
            Object v = g.getValue();
            if (!(v instanceof Number) && !(v instanceof Boolean)) {
                return;
            }
            double value = v instanceof Number n ? n.doubleValue() : (Boolean) v ? 1 : 0;
            kind = Kind.GAUGE;
            point = GaugeDataPointSnapshot.builder().value(value).labels(named.labels()).build();
        } else if (metric instanceof Counter c) {
            kind = Kind.COUNTER;
            point = CounterDataPointSnapshot.builder().value(c.getCount()).labels(named.labels()).build();
        } else if (metric instanceof Meter m) {
            kind = Kind.COUNTER;
            point = CounterDataPointSnapshot.builder().value(m.getCount()).labels(named.labels()).build();
        } else if (metric instanceof Timer t) {
            kind = Kind.SUMMARY;
            name = name.endsWith("_seconds") ? name : name + "_seconds";
            point = summary(t.getSnapshot(), t.getCount(), NANOS_TO_SECONDS, named.labels());
        } else if (metric instanceof Histogram h) {
            kind = Kind.SUMMARY;
            point = summary(h.getSnapshot(), h.getCount(), 1, named.labels());
        } else {
            return;
        }
        String prometheusName = PrometheusNaming.sanitizeMetricName(name);
        Family f = families.computeIfAbsent(prometheusName, n -> new Family(kind, new ArrayList<>(), new HashSet<>()));
        if (f.kind() != kind || !f.seen().add(named.labels())) {
            LOG.debug("Metric {} {} clashes with another of the same name and labels; skipped", name, named.labels());
            return;
        }
        f.points().add(point);
    }

    private static SummaryDataPointSnapshot summary(Snapshot s, long count, double factor, Labels labels) {
        return SummaryDataPointSnapshot.builder()
                .quantiles(Quantiles.builder()
                        .quantile(0.5, s.getMedian() * factor)
                        .quantile(0.9, s.getValue(0.9) * factor)
                        .quantile(0.99, s.get99thPercentile() * factor)
                        .quantile(0.999, s.get999thPercentile() * factor)
                        .build())
                .count(count)
                .labels(labels)
                .build();
    }

    @SuppressWarnings("unchecked")
    private static MetricSnapshot snapshot(String name, Family f) {
        MetricMetadata meta = new MetricMetadata(name, "see docs/metrics.md");
        return switch (f.kind()) {
            case GAUGE -> new GaugeSnapshot(meta, (List<GaugeDataPointSnapshot>) (List<?>) f.points());
            case COUNTER -> new CounterSnapshot(meta, (List<CounterDataPointSnapshot>) (List<?>) f.points());
            case SUMMARY -> new SummarySnapshot(meta, (List<SummaryDataPointSnapshot>) (List<?>) f.points());
        };
    }
}
