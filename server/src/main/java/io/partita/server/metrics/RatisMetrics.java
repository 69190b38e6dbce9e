package io.partita.server.metrics;

import io.partita.raft.group.GroupLayout;
import io.partita.raft.metrics.RatisRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;

/**
 * Ratis's own metrics ({@link RatisRegistry}, Dropwizard registries: append, flush and sync latencies, election counts,
 * apply and snapshot timings...), exported rather than measured again. Ratis keeps one registry per Raft division in
 * a JVM-wide {@link MetricRegistries}; this node's are those whose prefix starts with its peer id. A metric
 * {@code ratis.<component>.<node>@<group>.<name>} becomes {@code partita_ratis_<component>_<name>{group="<index>"}},
 * names in snake case, timers in seconds; the metadata group's label is {@code meta}. Only {@link #EXPORTED} are
 * exported: Ratis has about 150 series per group, mostly request-queue internals, and a node may host hundreds of
 * groups. All of them stay readable over Ratis's registries for debugging.
 */
final class RatisMetrics {
    /** The Ratis metrics exported, as {@code <component>_<name>} in snake case (see docs/metrics.md). */
    static final Set<String> EXPORTED = Set.of(
            "log_worker_append_entry_latency", "log_worker_flush_time", "log_worker_sync_time",
            "log_worker_queueing_delay", "log_worker_append_entry_count",
            "server_client_write_request", "server_client_read_request", "server_follower_append_entry_latency",
            "server_num_install_snapshot", "server_num_failed_client_write_on_server",
            "leader_election_election_count", "leader_election_timeout_count",
            "leader_election_last_leader_elapsed_time", "state_machine_take_snapshot");
    private final String nodeId;
    private final Supplier<GroupLayout> layout;
    private volatile GroupLabels labels;

    /** Ratis group names ("group-<hex>") to group labels, for one layout (fixed for a cluster's life). */
    private record GroupLabels(GroupLayout layout, Map<String, String> byName) {
        static GroupLabels of(GroupLayout layout) {
            Map<String, String> byName = new HashMap<>();
            byName.put(layout.metaGroupId().toString(), "meta");
            for (int g = 0; g < layout.groupCount(); g++) {
                byName.put(layout.raftGroupId(g).toString(), Integer.toString(g));
            }
            return new GroupLabels(layout, byName);
        }
    }

    RatisMetrics(String nodeId, Supplier<GroupLayout> layout) {
        this.nodeId = nodeId;
        this.layout = layout;
    }

    /** This node's Ratis registries, each with the namer of its metrics. */
    List<PrometheusExporter.Source> sources() {
        GroupLayout groups = layout.get();
        List<PrometheusExporter.Source> out = new ArrayList<>();
        if (groups == null) {
            return out;
        }
        GroupLabels known = labels;
        if (known == null || known.layout() != groups) {
            known = GroupLabels.of(groups);
            labels = known;
        }
        for (RatisMetricRegistry r : MetricRegistries.global().getMetricRegistries()) {
            MetricRegistryInfo info = r.getMetricRegistryInfo();
            String prefix = info.getPrefix();
            if (!prefix.startsWith(nodeId + "@") || !(r instanceof RatisRegistry registry)) {
                continue;
            }
            String group = known.byName().get(prefix.substring(nodeId.length() + 1));
            if (group == null) {
                continue;
            }
            String registryPrefix = registry.namePrefix() + ".";
            String component = snake(info.getMetricsComponentName()) + "_";
            Labels labels = Labels.of("group", group);
            out.add(new PrometheusExporter.Source(registry.dropwizard(), (name, metric) -> {
                if (!name.startsWith(registryPrefix)) {
                    return null;
                }
                String metricName = component + snake(name.substring(registryPrefix.length()));
                return EXPORTED.contains(metricName)
                        ? new PrometheusExporter.Named("partita_ratis_" + metricName, labels) : null;
            }));
        }
        return out;
    }

    /** appendEntryLatency -> append_entry_latency; dots and other separators -> '_'. */
    static String snake(String name) {
        String snake = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        return PrometheusNaming.sanitizeMetricName(snake.replace('.', '_').replace('-', '_'));
    }
}
