package io.partita.server.config;

import io.partita.server.config.NodeConfig.NamespaceConfig;
import io.partita.snapshot.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Renders a {@link NodeConfig} as YAML that {@link ConfigLoader#parse} reads back to an equal configuration.
 * Every key is written, sizes and durations in their shortest exact unit ({@code 1M}, {@code 2s}), except the
 * optional ones at their defaults: {@code listen.advertise-raft-address} when unset, {@code rack} when empty and
 * the {@code rebalance} section when it equals {@link NodeConfig.Rebalance#defaults()}, the {@code tls} section
 * when TLS is off, the {@code security} section when it is the default, {@code audit-log} when unset and the
 * {@code limits} section at its defaults.
 */
public final class ConfigWriter {
    private ConfigWriter() {
    }

    /**
     * Renders a configuration.
     *
     * @param config the configuration
     * @return YAML text with a comment header, every key present but the optional ones at their defaults
     */
    public static String toYaml(NodeConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("node-id", config.nodeId());
        root.put("cluster-name", config.clusterName());
        if (!config.rack().isEmpty()) {
            root.put("rack", config.rack());
        }
        Map<String, Object> listen = new LinkedHashMap<>();
        listen.put("address", config.listen().address());
        listen.put("client-port", config.listen().clientPort());
        listen.put("raft-port", config.listen().raftPort());
        listen.put("admin-port", config.listen().adminPort());
        if (config.listen().advertiseRaftAddress() != null) {
            listen.put("advertise-raft-address", config.listen().advertiseRaftAddress());
        }
        if (config.listen().advertiseAddress() != null) {
            listen.put("advertise-address", config.listen().advertiseAddress());
        }
        root.put("listen", listen);
        root.put("data-dir", config.dataDir().toString());
        root.put("raft-groups", config.raftGroups() == NodeConfig.RAFT_GROUPS_AUTO
                ? NodeConfig.RAFT_GROUPS_AUTO_TEXT : (Object) config.raftGroups());
        root.put("seeds", new ArrayList<>(config.seeds()));
        root.put("auto-join", config.autoJoin());
        root.put("stop-hand-off", Durations.format(config.stopHandOff()));
        if (config.auditLog() != null) {
            root.put("audit-log", config.auditLog().toString());
        }
        List<Object> namespaces = new ArrayList<>();
        for (NamespaceConfig ns : config.namespaces()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", ns.name());
            n.put("replication-factor", ns.replicationFactor());
            n.put("default-ttl", ns.defaultTtlSeconds() == 0 ? (Object) 0 : Durations.formatTtl(ns.defaultTtlSeconds()));
            n.put("max-record-size", size(ns.maxRecordSize()));
            namespaces.add(n);
        }
        root.put("namespaces", namespaces);
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("write-buffer", size(config.memory().writeBufferSize()));
        memory.put("block-cache", size(config.memory().blockCacheSize()));
        root.put("memory", memory);
        Map<String, Object> raft = new LinkedHashMap<>();
        raft.put("election-timeout-min", Durations.format(config.raft().electionTimeoutMin()));
        raft.put("election-timeout-max", Durations.format(config.raft().electionTimeoutMax()));
        raft.put("log-sync", config.raft().logSync());
        raft.put("segment-size", size(config.raft().segmentSize()));
        raft.put("batch-max-commands", config.raft().batchMaxCommands());
        raft.put("batch-max-bytes", size(config.raft().batchMaxBytes()));
        raft.put("snapshot-every-entries", config.raft().snapshotEveryEntries());
        raft.put("snapshot-transfer-mb-per-s", config.raft().snapshotTransferMbPerS());
        root.put("raft", raft);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("slow-request-threshold", Durations.format(config.metrics().slowRequestThreshold()));
        root.put("metrics", metrics);
        Map<String, Object> expiry = new LinkedHashMap<>();
        expiry.put("period", Durations.format(config.expiry().period()));
        expiry.put("max-deletes-per-second", config.expiry().maxDeletesPerSecond());
        root.put("expiry", expiry);
        if (!config.rebalance().equals(NodeConfig.Rebalance.defaults())) {
            Map<String, Object> rebalance = new LinkedHashMap<>();
            rebalance.put("max-concurrent-moves", config.rebalance().maxConcurrentMoves());
            rebalance.put("move-timeout", Durations.format(config.rebalance().moveTimeout()));
            root.put("rebalance", rebalance);
        }
        NodeConfig.Tls tls = config.tls();
        if (tls.enabled()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("enabled", true);
            t.put("cert-file", tls.certFile().toString());
            t.put("key-file", tls.keyFile().toString());
            t.put("ca-file", tls.caFile().toString());
            t.put("client-auth", tls.clientAuth());
            root.put("tls", t);
        }
        if (!config.security().equals(NodeConfig.Security.disabled())) {
            Map<String, Object> sec = new LinkedHashMap<>();
            sec.put("enabled", config.security().enabled());
            sec.put("session-ttl", Durations.format(config.security().sessionTtl()));
            root.put("security", sec);
        }
        if (!config.limits().equals(NodeConfig.Limits.defaults())) {
            NodeConfig.Limits l = config.limits();
            Map<String, Object> limits = new LinkedHashMap<>();
            limits.put("max-connections-per-client", l.maxConnectionsPerClient());
            limits.put("max-calls-per-connection", l.maxCallsPerConnection());
            limits.put("max-concurrent-exports", l.maxConcurrentExports());
            limits.put("max-concurrent-snapshot-fetches", l.maxConcurrentSnapshotFetches());
            root.put("limits", limits);
        }

        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        options.setSplitLines(false);
        LoaderOptions loaderOptions = ConfigLoader.loaderOptions();
        Yaml yaml = new Yaml(new SafeConstructor(loaderOptions), new Representer(options), options, loaderOptions);
        return "# Partita node configuration for node '" + config.nodeId() + "'.\n"
                + "# Every key is explained in conf/node.yaml and conf/README.md.\n"
                + yaml.dump(root);
    }

    /**
     * Writes {@link #toYaml} to a file, replacing it atomically (see {@link DurableFiles#writeAtomically}) with
     * mode 0600, and creating missing parent directories.
     *
     * @param config the configuration
     * @param file   the file to write, e.g. {@code <data-dir>/node.yaml}
     * @throws IOException if the file cannot be written
     */
    public static void write(NodeConfig config, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        // Owner only, the mode the file always had (it used to be a renamed Files.createTempFile).
        DurableFiles.writeAtomically(absolute, toYaml(config).getBytes(StandardCharsets.UTF_8),
                DurableFiles.Access.OWNER_ONLY);
    }

    /** Sizes with a unit as text ({@code 1M}); sizes no unit divides as a plain number of bytes. */
    private static Object size(long bytes) {
        String formatted = Sizes.format(bytes);
        return formatted.equals(Long.toString(bytes)) ? (Object) bytes : formatted;
    }
}
