package io.partita.tools.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.PlanNode;
import io.partita.server.metrics.PrometheusText;
import io.partita.tools.cli.AdminClient;
import io.partita.tools.cli.ClusterHosts;
import io.partita.tools.cli.Durations;
import io.partita.tools.cli.ExitCodes;
import io.partita.tools.cli.RecordJson;
import io.partita.tools.cli.StatusCommand;
import io.partita.tools.cli.TextTable;
import io.partita.tools.cli.VersionProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code partita stats}: what every node of the cluster is doing, from two scrapes of its {@code /metrics}. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Shows what each node of the cluster is doing: client operations per second and their p99, "
                + "Raft groups hosted and led, the largest apply lag, log and RocksDB sizes, block-cache hit ratio, "
                + "heap, writes per log entry and the LZ4 ratio.",
                "Finds the nodes in the cluster plan of --hosts, then scrapes each node's admin /metrics twice, "
                        + "--interval apart (rates are over that interval). For the full set of metrics point "
                        + "Prometheus at /metrics (docs/metrics.md)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every node answered", "1:some nodes did not answer (listed)", "2:usage error",
                "4:no node answered"},
        footer = {"", "Example: partita stats --hosts 127.0.0.1:7300 --interval 5s"})
public final class StatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterHosts hosts;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = Durations.class,
            description = "Time between the two scrapes of each node (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s", converter = Durations.class,
            description = "How long each node may take to answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--json", description = "Print JSON: one object per node with the same figures.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        List<String> addresses = hosts.addresses();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> adminAddresses = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        try (AdminClient admin = new AdminClient()) {
            Map<String, AdminClient.Answer<NodeDescription>> described = admin.describeAll(addresses, timeout);
            ClusterPlan plan = StatusCommand.newestPlan(described);
            List<String> nodes = plan == null ? addresses
                    : plan.getNodesList().stream().map(PlanNode::getClientAddress).toList();
            if (plan != null) {
                described = admin.describeAll(nodes, timeout);
            }
            for (AdminClient.Answer<NodeDescription> a : described.values()) {
                if (!a.ok()) {
                    problems.put(a.address(), a.problem(timeout));
                } else if (a.value().getAdminAddress().isEmpty()) {
                    problems.put(a.value().getNodeId(), "serves no admin HTTP listener (admin-port)");
                } else {
                    adminAddresses.put(a.value().getNodeId(), a.value().getAdminAddress());
                }
            }
        }
        List<NodeStats> rows = scrape(adminAddresses, problems);
        if (rows.isEmpty()) {
            err.println(spec.qualifiedName() + ": no node answered: " + describe(problems));
            err.flush();
            return ExitCodes.UNAVAILABLE;
        }
        if (json) {
            out.println(RecordJson.pretty(json(rows, problems)));
        } else {
            text(rows).forEach(out::println);
            problems.forEach((node, why) -> out.println("  " + node + ": " + why));
        }
        out.flush();
        return problems.isEmpty() ? ExitCodes.OK : 1;
    }

    private List<NodeStats> scrape(Map<String, String> adminAddresses, Map<String, String> problems)
            throws InterruptedException {
        Map<String, PrometheusText> first = new LinkedHashMap<>();
        for (Map.Entry<String, String> n : adminAddresses.entrySet()) {
            try {
                first.put(n.getKey(), PrometheusText.scrape(n.getValue(), timeout));
            } catch (IOException e) {
                problems.put(n.getKey(), n.getValue() + "/metrics: " + e.getMessage());
            }
        }
        long start = System.nanoTime();
        Thread.sleep(interval.toMillis());
        List<NodeStats> rows = new ArrayList<>();
        for (Map.Entry<String, PrometheusText> n : first.entrySet()) {
            String address = adminAddresses.get(n.getKey());
            try {
                PrometheusText second = PrometheusText.scrape(address, timeout);
                rows.add(NodeStats.of(n.getKey(), address, n.getValue(), second,
                        (System.nanoTime() - start) / 1e9));
            } catch (IOException e) {
                problems.put(n.getKey(), address + "/metrics: " + e.getMessage());
            }
        }
        return rows;
    }

    /** The table: one row per node, then a total row for the rates and sizes that add up. */
    static List<String> text(List<NodeStats> rows) {
        TextTable t = new TextTable("NODE", "OPS/S", "P99 MS", "GROUPS", "LEADS", "APPLY LAG", "LOG MIB",
                "ROCKSDB MIB", "CACHE HIT", "HEAP MIB", "WRITES/ENTRY", "LZ4");
        double ops = 0;
        double log = 0;
        double live = 0;
        for (NodeStats s : rows) {
            t.row(s.nodeId(), num(s.opsPerSecond(), "%,.0f"), num(s.p99Ms(), "%.1f"), num(s.groupsHosted(), "%.0f"),
                    num(s.groupsLed(), "%.0f"), num(s.maxApplyLag(), "%.0f"), num(s.logBytes() / (1 << 20), "%,.1f"),
                    num(s.rocksDbLiveBytes() / (1 << 20), "%,.1f"), num(s.blockCacheHitRatio() * 100, "%.1f%%"),
                    num(s.heapUsedBytes() / (1 << 20), "%,.0f"), num(s.writesPerEntry(), "%.1f"),
                    num(s.compressionRatio(), "%.2f"));
            ops += s.opsPerSecond();
            log += s.logBytes();
            live += s.rocksDbLiveBytes();
        }
        if (rows.size() > 1) {
            t.row("total", num(ops, "%,.0f"), "", "", "", "", num(log / (1 << 20), "%,.1f"),
                    num(live / (1 << 20), "%,.1f"), "", "", "", "");
        }
        return t.lines("");
    }

    private static ObjectNode json(List<NodeStats> rows, Map<String, String> problems) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode nodes = o.putArray("nodes");
        for (NodeStats s : rows) {
            ObjectNode j = nodes.addObject();
            j.put("node_id", s.nodeId());
            j.put("admin_address", s.adminAddress());
            j.put("ops_per_second", s.opsPerSecond());
            j.put("p99_ms", s.p99Ms());
            j.put("groups_hosted", s.groupsHosted());
            j.put("groups_led", s.groupsLed());
            j.put("max_apply_lag", s.maxApplyLag());
            j.put("log_bytes", s.logBytes());
            j.put("rocksdb_live_bytes", s.rocksDbLiveBytes());
            j.put("block_cache_hit_ratio", s.blockCacheHitRatio());
            j.put("heap_used_bytes", s.heapUsedBytes());
            j.put("writes_per_entry", s.writesPerEntry());
            j.put("compression_ratio", s.compressionRatio());
        }
        ObjectNode p = o.putObject("problems");
        problems.forEach(p::put);
        return o;
    }

    private static String num(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static String describe(Map<String, String> problems) {
        List<String> parts = new ArrayList<>();
        problems.forEach((node, why) -> parts.add(node + ": " + why));
        return parts.isEmpty() ? "no hosts" : String.join("; ", parts);
    }
}
