package io.partita.server.config;

import io.partita.server.config.NodeConfig.Expiry;
import io.partita.server.config.NodeConfig.Listen;
import io.partita.server.config.NodeConfig.Memory;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import io.partita.server.config.NodeConfig.Metrics;
import io.partita.server.config.NodeConfig.RaftTuning;
import io.partita.server.config.NodeConfig.Rebalance;
import io.partita.server.config.NodeConfig.Security;
import io.partita.server.config.NodeConfig.Tls;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads a node configuration from YAML and validates it.
 *
 * <p>The YAML is only composed into a node tree (with SnakeYAML's {@link SafeConstructor} and bounded
 * {@link LoaderOptions}); no Java object is ever constructed from a tag, and explicit tags other than the
 * standard scalar ones are rejected. Every key is checked: unknown keys (with a "did you mean"), wrong
 * types, missing required keys, values out of range and cross-key rules. The first problem is reported as
 * a {@link ConfigException} with a one-line message {@code <source>: <key path>: <problem> (<remedy>)}.
 *
 * <p>Loading has no side effects on the file system; {@link StartupChecks#prepareDataDir} checks and
 * creates the data directory when the node starts.
 */
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    static final List<String> ROOT_KEYS = List.of(
            "node-id", "cluster-name", "listen", "data-dir", "raft-groups", "namespaces", "memory", "raft", "seeds",
            "metrics", "expiry", "rack", "rebalance", "auto-join", "stop-hand-off", "tls", "audit-log", "security",
            "limits");
    static final List<String> LIMITS_KEYS = List.of("max-connections-per-client", "max-calls-per-connection",
            "max-concurrent-exports", "max-concurrent-snapshot-fetches");
    static final List<String> TLS_KEYS = List.of("enabled", "cert-file", "key-file", "ca-file", "client-auth");
    static final List<String> SECURITY_KEYS = List.of("enabled", "session-ttl");
    static final List<String> METRICS_KEYS = List.of("slow-request-threshold");
    static final List<String> EXPIRY_KEYS = List.of("period", "max-deletes-per-second");
    static final List<String> REBALANCE_KEYS = List.of("max-concurrent-moves", "move-timeout");
    static final List<String> LISTEN_KEYS = List.of("address", "client-port", "raft-port", "admin-port",
            "advertise-raft-address", "advertise-address");
    static final List<String> NAMESPACE_KEYS = List.of("name", "replication-factor", "default-ttl", "max-record-size");
    static final List<String> MEMORY_KEYS = List.of("write-buffer", "block-cache");
    static final List<String> RAFT_KEYS = List.of("election-timeout-min", "election-timeout-max", "log-sync",
            "segment-size", "batch-max-commands", "batch-max-bytes", "snapshot-every-entries",
            "snapshot-transfer-mb-per-s");

    /** Scalar tags a plain (untagged) YAML scalar resolves to; anything else was written as an explicit tag. */
    private static final Set<Tag> SCALAR_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.TIMESTAMP);
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9][0-9_]*");
    private static final Pattern BOOLEAN_TRUE = Pattern.compile("true|yes|on", Pattern.CASE_INSENSITIVE);
    private static final Pattern BOOLEAN = Pattern.compile("true|yes|on|false|no|off", Pattern.CASE_INSENSITIVE);
    private static final int MAX_DOCUMENT_CODE_POINTS = 1 << 20;

    private ConfigLoader() {
    }

    /**
     * Reads and validates a configuration file.
     *
     * @param file the YAML file, usually {@code conf/node.yaml}; its path as given is the source in messages
     * @return the configuration
     * @throws ConfigException if the file cannot be read, is not valid YAML or is not a valid configuration
     */
    public static NodeConfig load(Path file) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "", "file not found (check the path given to --conf)");
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, "", "is not UTF-8 text (save the file as UTF-8)");
        } catch (IOException e) {
            throw new ConfigException(source, "", "cannot be read (" + reason(e) + ")");
        }
        return parse(text, source);
    }

    /**
     * Parses and validates a configuration.
     *
     * @param yaml       the YAML text
     * @param sourceName where the text came from, used as the first part of error messages
     * @return the configuration
     * @throws ConfigException if the text is not valid YAML or not a valid configuration
     */
    public static NodeConfig parse(String yaml, String sourceName) {
        Objects.requireNonNull(yaml, "yaml");
        String source = sourceName == null || sourceName.isBlank() ? "<config>" : sourceName;
        NodeConfig config;
        try {
            config = read(compose(yaml));
        } catch (ConfigException e) {
            throw e.source() == null ? e.located(source, "") : e;
        }
        if (!config.raft().logSync()) {
            LOG.warn("{}: raft.log-sync is false: writes are acknowledged before the Raft log is on disk, so a"
                    + " power loss on a majority of replicas can lose acknowledged writes", source);
        }
        return config;
    }

    /** Loader options that bound what a hostile or broken file can make the parser do. */
    static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_DOCUMENT_CODE_POINTS);
        options.setProcessComments(false);
        return options;
    }

    private static Node compose(String text) {
        LoaderOptions options = loaderOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options);
        try {
            return yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            throw new ConfigException(null, "", "malformed YAML" + where(e.getProblemMark(), e.getContextMark())
                    + ": " + problem(e));
        } catch (YAMLException e) {
            throw new ConfigException(null, "", "malformed YAML: " + e.getMessage());
        }
    }

    private static String where(Mark problemMark, Mark contextMark) {
        Mark mark = problemMark != null ? problemMark : contextMark;
        return mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /** SnakeYAML's problem and context ("while parsing a flow mapping" at line n) as one phrase. */
    private static String problem(MarkedYAMLException e) {
        String problem = e.getProblem();
        String context = e.getContext();
        if (problem == null) {
            return context != null ? context : String.valueOf(e.getMessage());
        }
        if (context == null) {
            return problem;
        }
        if (problem.startsWith("but ")) {
            return context + " " + problem;
        }
        Mark contextMark = e.getContextMark();
        return problem + " (" + context + (contextMark == null ? "" : " started at line " + (contextMark.getLine() + 1))
                + ")";
    }

    private static NodeConfig read(Node root) {
        if (root == null || isNull(root)) {
            throw new ConfigException(null, "", "is empty (at least node-id is required; see conf/node.yaml)");
        }
        Section top = new Section("", root, ROOT_KEYS, "node-id: n1");
        String nodeId = top.requiredString("node-id", "e.g. node-id: n1");
        String clusterName = top.string("cluster-name", NodeConfig.DEFAULT_CLUSTER_NAME);
        Listen listen = readListen(top.section("listen", LISTEN_KEYS, "client-port: 7300"));
        Path dataDir = top.path("data-dir", Path.of("./data"));
        int raftGroups = top.integerOr("raft-groups", Bound.RAFT_GROUPS, NodeConfig.RAFT_GROUPS_AUTO_TEXT,
                NodeConfig.RAFT_GROUPS_AUTO, NodeConfig.DEFAULT_RAFT_GROUPS);
        List<NamespaceConfig> namespaces = readNamespaces(top);
        Memory memory = readMemory(top.section("memory", MEMORY_KEYS, "block-cache: 256M"));
        RaftTuning raft = readRaft(top.section("raft", RAFT_KEYS, "log-sync: true"));
        List<String> seeds = readSeeds(top);
        Metrics metrics = readMetrics(top.section("metrics", METRICS_KEYS, "slow-request-threshold: 500ms"));
        Expiry expiry = readExpiry(top.section("expiry", EXPIRY_KEYS, "period: 2m"));
        String rack = top.string("rack", NodeConfig.DEFAULT_RACK);
        Rebalance rebalance = readRebalance(top.section("rebalance", REBALANCE_KEYS, "max-concurrent-moves: 2"));
        boolean autoJoin = top.bool("auto-join", NodeConfig.DEFAULT_AUTO_JOIN);
        Duration stopHandOff = top.duration("stop-hand-off", Bound.STOP_HAND_OFF, NodeConfig.DEFAULT_STOP_HAND_OFF);
        Tls tls = readTls(top.section("tls", TLS_KEYS, "enabled: true"));
        Path auditLog = top.path("audit-log", null);
        Security security = readSecurity(top.section("security", SECURITY_KEYS, "enabled: true"));
        NodeConfig.Limits limits = readLimits(top.section("limits", LIMITS_KEYS, "max-calls-per-connection: 4096"));
        return top.build(() -> new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, memory, raft,
                seeds, metrics, expiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, limits));
    }

    private static Listen readListen(Section s) {
        String address = s.string("address", Listen.DEFAULT_ADDRESS);
        int clientPort = s.integer("client-port", Bound.PORT, Listen.DEFAULT_CLIENT_PORT);
        int raftPort = s.integer("raft-port", Bound.PORT, Listen.DEFAULT_RAFT_PORT);
        int adminPort = s.integer("admin-port", Bound.PORT, Listen.DEFAULT_ADMIN_PORT);
        String advertiseRaftAddress = s.string("advertise-raft-address", null);
        String advertiseAddress = s.string("advertise-address", null);
        return s.build(() -> new Listen(address, clientPort, raftPort, adminPort, advertiseRaftAddress,
                advertiseAddress));
    }

    private static List<NamespaceConfig> readNamespaces(Section top) {
        Node node = top.node("namespaces");
        if (node == null) {
            return List.of(NamespaceConfig.defaults(NodeConfig.DEFAULT_NAMESPACE));
        }
        if (isNull(node)) {
            return List.of(); // rejected by NodeConfig with "at least one namespace is required"
        }
        if (!(node instanceof SequenceNode seq) || !Tag.SEQ.equals(node.getTag())) {
            throw expected("namespaces", "a list of namespaces (- name: test)", node);
        }
        List<NamespaceConfig> namespaces = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Section s = new Section("namespaces[" + i + "]", seq.getValue().get(i), NAMESPACE_KEYS, "name: test");
            String name = s.requiredString("name", "e.g. - name: test");
            int rf = s.integer("replication-factor", Bound.REPLICATION_FACTOR,
                    NamespaceConfig.DEFAULT_REPLICATION_FACTOR);
            long ttl = s.ttl("default-ttl", NamespaceConfig.DEFAULT_TTL_SECONDS);
            long maxRecordSize = s.size("max-record-size", Bound.MAX_RECORD_SIZE,
                    NamespaceConfig.DEFAULT_MAX_RECORD_SIZE);
            namespaces.add(s.build(() -> new NamespaceConfig(name, rf, ttl, maxRecordSize)));
        }
        return namespaces;
    }

    private static List<String> readSeeds(Section top) {
        Node node = top.node("seeds");
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode seq) || !Tag.SEQ.equals(node.getTag())) {
            throw expected("seeds", "a list of host:port client addresses (- 10.0.0.2:7300)", node);
        }
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            if (!(item instanceof ScalarNode scalar) || isNull(item)) {
                throw expected("seeds[" + i + "]", "a host:port client address", item);
            }
            seeds.add(scalar.getValue());
        }
        return seeds;
    }

    private static Memory readMemory(Section s) {
        long writeBuffer = s.size("write-buffer", Bound.WRITE_BUFFER, Memory.DEFAULT_WRITE_BUFFER);
        long blockCache = s.size("block-cache", Bound.BLOCK_CACHE, Memory.DEFAULT_BLOCK_CACHE);
        return s.build(() -> new Memory(writeBuffer, blockCache));
    }

    private static Metrics readMetrics(Section s) {
        Duration slow = s.duration("slow-request-threshold", Bound.SLOW_REQUEST_THRESHOLD,
                Metrics.DEFAULT_SLOW_REQUEST_THRESHOLD);
        return s.build(() -> new Metrics(slow));
    }

    private static Tls readTls(Section s) {
        boolean enabled = s.bool("enabled", false);
        Path cert = s.path("cert-file", null);
        Path key = s.path("key-file", null);
        Path ca = s.path("ca-file", null);
        boolean clientAuth = s.bool("client-auth", false);
        return s.build(() -> new Tls(enabled, cert, key, ca, clientAuth));
    }

    private static Security readSecurity(Section s) {
        boolean enabled = s.bool("enabled", false);
        Duration ttl = s.duration("session-ttl", Bound.SESSION_TTL, Security.DEFAULT_SESSION_TTL);
        return s.build(() -> new Security(enabled, ttl));
    }

    private static Expiry readExpiry(Section s) {
        Duration period = s.duration("period", Bound.EXPIRY_PERIOD, Expiry.DEFAULT_PERIOD);
        int perSecond = s.integer("max-deletes-per-second", Bound.EXPIRY_DELETES_PER_SECOND,
                Expiry.DEFAULT_MAX_DELETES_PER_SECOND);
        return s.build(() -> new Expiry(period, perSecond));
    }

    private static NodeConfig.Limits readLimits(Section s) {
        int connections = s.integer("max-connections-per-client", Bound.MAX_CONNECTIONS_PER_CLIENT,
                NodeConfig.Limits.DEFAULT_MAX_CONNECTIONS_PER_CLIENT);
        int calls = s.integer("max-calls-per-connection", Bound.MAX_CALLS_PER_CONNECTION,
                NodeConfig.Limits.DEFAULT_MAX_CALLS_PER_CONNECTION);
        int exports = s.integer("max-concurrent-exports", Bound.MAX_CONCURRENT_STREAMS,
                NodeConfig.Limits.DEFAULT_MAX_CONCURRENT_EXPORTS);
        int fetches = s.integer("max-concurrent-snapshot-fetches", Bound.MAX_CONCURRENT_STREAMS,
                NodeConfig.Limits.DEFAULT_MAX_CONCURRENT_SNAPSHOT_FETCHES);
        return s.build(() -> new NodeConfig.Limits(connections, calls, exports, fetches));
    }

    private static Rebalance readRebalance(Section s) {
        int moves = s.integer("max-concurrent-moves", Bound.REBALANCE_MAX_CONCURRENT_MOVES,
                Rebalance.DEFAULT_MAX_CONCURRENT_MOVES);
        Duration timeout = s.duration("move-timeout", Bound.REBALANCE_MOVE_TIMEOUT, Rebalance.DEFAULT_MOVE_TIMEOUT);
        return s.build(() -> new Rebalance(moves, timeout));
    }

    private static RaftTuning readRaft(Section s) {
        Duration min = s.duration("election-timeout-min", Bound.ELECTION_TIMEOUT, RaftTuning.DEFAULT_ELECTION_TIMEOUT_MIN);
        Duration max = s.duration("election-timeout-max", Bound.ELECTION_TIMEOUT, RaftTuning.DEFAULT_ELECTION_TIMEOUT_MAX);
        boolean logSync = s.bool("log-sync", RaftTuning.DEFAULT_LOG_SYNC);
        long segmentSize = s.size("segment-size", Bound.SEGMENT_SIZE, RaftTuning.DEFAULT_SEGMENT_SIZE);
        int batchCommands = s.integer("batch-max-commands", Bound.BATCH_MAX_COMMANDS,
                RaftTuning.DEFAULT_BATCH_MAX_COMMANDS);
        long batchBytes = s.size("batch-max-bytes", Bound.BATCH_MAX_BYTES, RaftTuning.DEFAULT_BATCH_MAX_BYTES);
        long snapshotEvery = s.integer("snapshot-every-entries", Bound.SNAPSHOT_EVERY_ENTRIES,
                (int) RaftTuning.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
        int transferMbPerS = s.integer("snapshot-transfer-mb-per-s", Bound.SNAPSHOT_TRANSFER_MB_PER_S,
                RaftTuning.DEFAULT_SNAPSHOT_TRANSFER_MB_PER_S);
        return s.build(() -> new RaftTuning(min, max, logSync, segmentSize, batchCommands, batchBytes, snapshotEvery,
                transferMbPerS));
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static ConfigException expected(String path, String what, Node found) {
        if (!isStandardTag(found)) {
            return unsupportedTag(path, found);
        }
        return new ConfigException(null, path, "expected " + what + ", found " + describe(found));
    }

    private static ConfigException unsupportedTag(String path, Node node) {
        return new ConfigException(null, path, "unsupported YAML tag '" + node.getTag().getValue()
                + "' (remove the tag; only plain values, mappings and lists are allowed)");
    }

    private static boolean isStandardTag(Node node) {
        if (node instanceof MappingNode) {
            return Tag.MAP.equals(node.getTag());
        }
        if (node instanceof SequenceNode) {
            return Tag.SEQ.equals(node.getTag());
        }
        return Tag.NULL.equals(node.getTag()) || SCALAR_TAGS.contains(node.getTag());
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "no value";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The keys of one mapping, checked against the known keys, with typed accessors that report full paths. */
    private static final class Section {
        private final String path;
        private final Map<String, Node> values = new LinkedHashMap<>();

        /**
         * @param node    the mapping, or {@code null} / a YAML null for an absent or empty section
         * @param example a key-value example used when {@code node} is not a mapping
         */
        Section(String path, Node node, List<String> known, String example) {
            this.path = path;
            if (node == null || isNull(node)) {
                return;
            }
            if (!(node instanceof MappingNode mapping) || !Tag.MAP.equals(node.getTag())) {
                throw expected(path.isEmpty() ? "" : path, "a mapping of keys (e.g. " + example + ")", node);
            }
            Map<String, Integer> lines = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode scalarKey)) {
                    throw new ConfigException(null, path, "expected a key name, found " + describe(keyNode)
                            + " as a key");
                }
                String key = scalarKey.getValue();
                if (!known.contains(key)) {
                    String hint = Suggest.closest(key, known, 2)
                            .map(s -> "did you mean '" + s + "'?")
                            .orElse("valid keys here: " + String.join(", ", known));
                    throw new ConfigException(null, path(key), "unknown key (" + hint + ")");
                }
                int line = keyNode.getStartMark() == null ? 0 : keyNode.getStartMark().getLine() + 1;
                Integer first = lines.putIfAbsent(key, line);
                if (first != null) {
                    throw new ConfigException(null, path(key), "is set twice (lines " + first + " and " + line
                            + "; keep one)");
                }
                values.put(key, tuple.getValueNode());
            }
        }

        String path(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        Node node(String key) {
            return values.get(key);
        }

        /** Builds a record, prefixing the key path of any validation error with this section's path. */
        <T> T build(Supplier<T> constructor) {
            try {
                return constructor.get();
            } catch (ConfigException e) {
                throw e.located(null, path);
            }
        }

        Section section(String key, List<String> known, String example) {
            return new Section(path(key), values.get(key), known, example);
        }

        /** The scalar at {@code key}, or {@code null} if absent; rejects collections, nulls and custom tags. */
        private ScalarNode scalar(String key, String expected) {
            Node node = values.get(key);
            if (node == null) {
                return null;
            }
            if (!isStandardTag(node)) {
                throw unsupportedTag(path(key), node);
            }
            if (!(node instanceof ScalarNode scalar)) {
                throw expected(path(key), expected, node);
            }
            if (isNull(node)) {
                throw new ConfigException(null, path(key), "has no value (give " + expected
                        + ", or remove the key to use the default)");
            }
            return scalar;
        }

        private ConfigException quotedOrWrong(String key, ScalarNode scalar, String expected, boolean looksRight,
                                              String rule) {
            String text = scalar.getValue();
            if (looksRight && scalar.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
                return new ConfigException(null, path(key), "'" + text + "' is quoted text, not " + expected
                        + " (remove the quotes)");
            }
            return new ConfigException(null, path(key), "'" + text + "' is not " + expected + " (" + rule + ")");
        }

        String string(String key, String defaultValue) {
            ScalarNode scalar = scalar(key, "a text value");
            return scalar == null ? defaultValue : scalar.getValue();
        }

        String requiredString(String key, String example) {
            Node node = values.get(key);
            if (node == null || isNull(node)) {
                throw new ConfigException(null, path(key), "is required (" + example + ")");
            }
            return string(key, null);
        }

        Path path(String key, Path defaultValue) {
            String text = string(key, null);
            if (text == null) {
                return defaultValue;
            }
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new ConfigException(null, path(key), "'" + text + "' is not a valid path (" + e.getReason() + ")");
            }
        }

        int integer(String key, Bound bound, int defaultValue) {
            ScalarNode scalar = scalar(key, "an integer");
            if (scalar == null) {
                return defaultValue;
            }
            String text = scalar.getValue();
            boolean decimal = DECIMAL.matcher(text.strip()).matches();
            if (!Tag.INT.equals(scalar.getTag()) || !decimal) {
                throw quotedOrWrong(key, scalar, "an integer", decimal, bound.rule());
            }
            long value;
            String digits = text.strip().replace("_", "");
            try {
                value = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                value = digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            return (int) bound.check(path(key), value, text);
        }

        /** As {@link #integer}, or {@code keyword} (unquoted) for {@code keywordValue}. */
        int integerOr(String key, Bound bound, String keyword, int keywordValue, int defaultValue) {
            ScalarNode scalar = scalar(key, "an integer or " + keyword);
            if (scalar != null && keyword.equals(scalar.getValue().strip())
                    && scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN) {
                return keywordValue;
            }
            return integer(key, bound, defaultValue);
        }

        boolean bool(String key, boolean defaultValue) {
            ScalarNode scalar = scalar(key, "a boolean");
            if (scalar == null) {
                return defaultValue;
            }
            String text = scalar.getValue();
            if (!Tag.BOOL.equals(scalar.getTag())) {
                throw quotedOrWrong(key, scalar, "a boolean", BOOLEAN.matcher(text.strip()).matches(),
                        "use true or false");
            }
            return BOOLEAN_TRUE.matcher(text.strip()).matches();
        }

        long size(String key, Bound bound, long defaultValue) {
            ScalarNode scalar = scalar(key, "a size");
            if (scalar == null) {
                return defaultValue;
            }
            String text = scalar.getValue();
            long value;
            try {
                value = Sizes.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(null, path(key), e.getMessage());
            }
            return bound.check(path(key), value, text);
        }

        Duration duration(String key, Bound bound, Duration defaultValue) {
            ScalarNode scalar = scalar(key, "a duration");
            if (scalar == null) {
                return defaultValue;
            }
            String text = scalar.getValue();
            Duration value;
            try {
                value = Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(null, path(key), e.getMessage());
            }
            bound.check(path(key), Bound.saturatedMillis(value), text);
            return value;
        }

        long ttl(String key, long defaultValue) {
            ScalarNode scalar = scalar(key, "a TTL");
            if (scalar == null) {
                return defaultValue;
            }
            String text = scalar.getValue();
            long value;
            try {
                value = Durations.parseTtl(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(null, path(key), e.getMessage());
            }
            return Bound.DEFAULT_TTL.check(path(key), value, text);
        }
    }
}
