package io.partita.tools.cli;

import io.grpc.StatusRuntimeException;
import io.partita.protocol.ResultCode;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.tls.TlsConfigException;
import io.partita.protocol.tls.TlsMaterial;
import io.partita.protocol.tls.TlsSettings;
import io.partita.tools.tls.LocalCertificates;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.DecommissionNodeResponse;
import io.partita.protocol.v1.NodeDescription;
import io.partita.server.cluster.PlanView;
import io.partita.server.config.ConfigException;
import io.partita.server.config.NodeConfig;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code partita local}: runs a local cluster of 1 to 9 nodes as child processes in the foreground until Ctrl-C.
 *
 * <p>Node {@code n<i>} lives in {@code DIR/n<i>/}: {@code node.yaml} (written on the first start, reused afterwards),
 * its data, {@code node.log} and {@code partita.pid}. With more than one node every node lists the others as seeds,
 * every namespace has replication factor min(3, N), and the first start runs {@code cluster init} over all nodes.
 * A node that dies while the cluster runs is reported and the others keep running; {@code local} ends when every
 * node has died (exit 1) or on Ctrl-C / SIGTERM (every node is stopped first).
 *
 * <p>{@code --nodes N} on a DIR that holds another number of nodes resizes the (stopped) cluster: growing, the new
 * nodes get the existing ones as seeds and {@code auto-join: true}, and {@code local} waits until they are members and
 * the rebalancer has moved replicas onto them; shrinking, the highest nodes are decommissioned (as
 * {@code partita node decommission} does), and once the plan no longer lists them they are stopped and their
 * directories removed.
 */
@Command(name = "local", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Starts a local node (or a cluster of N nodes) in the background, waits until it is ready, "
                + "prints how to connect, and stops it on Ctrl-C (or SIGTERM).",
                "Node n<i> keeps its configuration (node.yaml), data, log (node.log) and pid file (partita.pid) in "
                        + "DIR/n<i>/; starting again on the same DIR reuses them (and their number of nodes). "
                        + "Ports of node i: BASE+3*(i-1) (client), +1 (raft), +2 (admin HTTP), all on 127.0.0.1.",
                "With N > 1 the nodes list each other as seeds, every namespace keeps min(3, N) copies, and the "
                        + "first start creates the cluster (as partita cluster init would). If a node dies, the "
                        + "others keep running.",
                "--nodes N on a DIR that holds a stopped cluster of another size resizes it. Growing (e.g. 3 to 5): "
                        + "starts the existing nodes and n4, n5 (configured like the others, with the existing nodes "
                        + "as seeds and auto-join: true), waits until they are members and the replicas are "
                        + "rebalanced onto them, printing progress. Shrinking (e.g. 5 to 3): starts every node, "
                        + "decommissions n5 and n4 (as partita node decommission would), waits until they have left "
                        + "the plan, then stops them and removes DIR/n5 and DIR/n4 (they hold no replica any more). "
                        + "Then runs the cluster in the foreground as usual. A cluster never shrinks below its "
                        + "namespaces' replication factor, and a single node is not resized."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"130/143:stopped with Ctrl-C / SIGTERM (the nodes were stopped first)",
                "1:a node could not start or the cluster could not be created; every node died; a node is already "
                        + "running from DIR; a port is in use; or a resize did not finish (it goes on at the next "
                        + "start)",
                "2:usage error, or a resize the cluster refuses (e.g. fewer nodes than the replication factor)"},
        footer = {"", "Examples: partita local --dir ./data --port 7300",
                "          partita local --nodes 3 --dir ./cluster",
                "          partita local --nodes 5 --dir ./cluster   (grows the 3-node cluster of ./cluster to 5)"})
public final class LocalCommand implements Callable<Integer> {

    /** How long the nodes may take to listen, and then to become ready. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** How long a node may take to stop after SIGTERM before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** Time budget of creating the cluster on the first start. */
    static final Duration INIT_TIMEOUT = Duration.ofSeconds(60);
    /** Lines of node.log shown when a node fails. */
    static final int TAIL_LINES = 20;
    /** Most nodes a local cluster may have. */
    static final int MAX_NODES = 9;
    /** Most copies of a record in a local cluster. */
    static final int MAX_REPLICATION_FACTOR = 3;
    /** How long the rebalance after {@code --nodes} changed the node count may take. */
    static final Duration RESIZE_TIMEOUT = Duration.ofMinutes(10);
    /** How often the plan is read while the cluster rebalances. */
    static final Duration RESIZE_POLL = Duration.ofMillis(500);
    /** Progress lines while the cluster rebalances come at most this often. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(3);
    /**
     * How long a grown cluster's plan must list the new nodes with no move in progress to count as rebalanced: the
     * rebalancer (every second) starts the next move soon after one completes, so a moment without moves may be a
     * pause between two.
     */
    static final Duration SETTLED = Duration.ofSeconds(5);
    /** How long the banner waits for the cluster's first user (created within seconds of the cluster). */
    private static final Duration ADMIN_PASSWORD_WAIT = Duration.ofSeconds(15);
    /** Time budget of the decommission requests of a shrink. */
    static final Duration DECOMMISSION_REQUEST_TIMEOUT = NodeDecommissionCommand.REQUEST_DEADLINE;

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "./data",
            description = "Directory of the local cluster's nodes (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--port", paramLabel = "BASE", defaultValue = "7300",
            description = "Client port of node n1; BASE+1 and BASE+2 are its raft and admin ports, node i uses "
                    + "BASE+3*(i-1) to BASE+3*(i-1)+2 (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1",
            description = "Number of nodes, 1 to " + MAX_NODES + " (default: ${DEFAULT-VALUE}; on a restart, the "
                    + "number DIR holds). On a DIR that holds a cluster of another size: grow or shrink it to N.")
    int nodes;

    @Option(names = "--raft-groups", paramLabel = "G", defaultValue = NodeConfig.RAFT_GROUPS_AUTO_TEXT,
            description = "Raft groups of a new cluster, 1 to 4096, or auto: two per node (default: ${DEFAULT-VALUE});"
                    + " fixed once created.")
    String raftGroupsText;
    /** --raft-groups as a number; {@link NodeConfig#RAFT_GROUPS_AUTO} for auto. */
    private int raftGroups;

    @Option(names = "--secure", description = "TLS on every port of every node, client certificates required, and "
            + "users and roles: a throwaway CA, node and client certificates are made in DIR/tls/ on the first start, "
            + "and user admin's password is printed (a cluster made with --secure stays secure; one made without it "
            + "cannot be switched).")
    boolean secure;
    /** The local cluster's certificates when it runs TLS, else null. */
    private LocalCertificates certs;
    /** The admin user's first password (secure mode), once read for the banner. */
    private String adminPassword;
    /** How this process reaches the nodes' admin HTTP ports. */
    private AdminHttp adminHttp = AdminHttp.plain();
    /** How this process reaches the nodes' client ports. */
    private ChannelFactory channels = ChannelFactory.plaintext();

    private PrintWriter out;
    private PrintWriter err;
    /** READY_TIMEOUT plus half a second per Raft group: every node creates or recovers each of its groups in turn. */
    private Duration readyTimeout = READY_TIMEOUT;
    private boolean reusedConfig;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (nodes < 1 || nodes > MAX_NODES) {
            return fail(ExitCodes.USAGE, "--nodes must be 1 to " + MAX_NODES + ", got " + nodes);
        }
        raftGroups = parseRaftGroups(raftGroupsText);
        if (raftGroups < 0) {
            return fail(ExitCodes.USAGE, "--raft-groups must be 1 to " + io.partita.protocol.Limits.PARTITION_COUNT
                    + " or auto, got " + raftGroupsText);
        }
        Path root = dir.toAbsolutePath().normalize();
        int existing = existingNodeCount(root);
        if (existing > 0) {
            if (explicit("--nodes") && nodes != existing) {
                String refusal = resizeRefusal(root, existing, nodes);
                if (refusal != null) {
                    return fail(ExitCodes.USAGE, refusal);
                }
            } else {
                nodes = existing;
            }
        }
        Resize resize = new Resize(existing, nodes);
        // Every node DIR holds runs while the cluster resizes: leaving nodes hand their replicas over first.
        int size = Math.max(existing, nodes);
        LocalLayout layout;
        try {
            layout = new LocalLayout(dir, basePort(root, existing), size);
        } catch (IllegalArgumentException e) {
            return fail(ExitCodes.USAGE, e.getMessage());
        }
        List<LocalNode> locals = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            locals.add(new LocalNode(layout, i));
        }
        for (LocalNode node : locals) {
            OptionalLong running = node.runningPid();
            if (running.isPresent()) {
                return fail(1, "a node is already running from " + layout.root() + " (pid "
                        + running.getAsLong() + "); stop it first" + (resize.grows() || resize.shrinks()
                        ? " (a local cluster is resized while stopped: stop it with Ctrl-C, then run partita local"
                        + " --nodes " + resize.to() + " --dir " + layout.root() + ")" : ""));
            }
        }

        String tlsProblem = prepareTls(layout, existing, size);
        if (tlsProblem != null) {
            return fail(tlsProblem.startsWith("cannot write") ? 1 : ExitCodes.USAGE, tlsProblem);
        }
        List<NodeConfig> configs = new ArrayList<>();
        readyTimeout = READY_TIMEOUT;
        for (int i = 1; i <= size; i++) {
            LocalNode node = locals.get(i - 1);
            try {
                configs.add(resize.grows() && i > existing
                        ? joinerConfig(layout, node, i, existing, configs.get(0), this::withTls)
                        : prepareConfig(layout, node, i));
                readyTimeout = READY_TIMEOUT.plusMillis(500L * configs.get(configs.size() - 1).raftGroupsFor(size));
            } catch (ConfigException e) {
                return fail(ExitCodes.USAGE, node.confFile() + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                return fail(ExitCodes.USAGE, e.getMessage());
            } catch (IOException e) {
                return fail(1, "cannot write " + node.confFile() + ": " + e.getMessage());
            }
        }

        for (int i = 0; i < size; i++) {
            NodeConfig.Listen listen = configs.get(i).listen();
            Optional<String> busy = LocalNode.firstBusyPort(listen.address(), listen.clientPort(),
                    listen.raftPort(), listen.adminPort());
            if (busy.isPresent()) {
                return fail(1, busyMessage(layout, locals.get(i), configs, busy.get(), listen.address()));
            }
        }
        return run(layout, locals, configs, resize);
    }

    /**
     * Secure mode: with {@code --secure} on a new DIR, or for a DIR whose n1 runs TLS, makes sure DIR/tls holds the
     * CA and a certificate for each of the {@code size} nodes and this process's client certificate, and sets this
     * process's channels and admin HTTP client to use them. Returns why it cannot, or null.
     */
    private String prepareTls(LocalLayout layout, int existing, int size) {
        if (existing > 0) {
            boolean wasSecure;
            try {
                wasSecure = locals(layout, 1).existingConfig().map(c -> c.tls().enabled()).orElse(false);
            } catch (RuntimeException e) {
                return null; // reported with the file name when the configs are read
            }
            if (secure && !wasSecure) {
                return layout.root() + " holds a local cluster made without --secure; TLS is chosen when a local "
                        + "cluster is made: use a new --dir (or leave --secure out)";
            }
            secure = wasSecure;
        }
        if (!secure) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        Map<String, List<String>> hosts = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            ids.add(layout.nodeId(i));
            hosts.put(layout.nodeId(i), List.of(NodeConfig.Listen.DEFAULT_ADDRESS, "localhost"));
        }
        Path tlsDir = layout.root().resolve("tls");
        try {
            certs = LocalCertificates.ensure(tlsDir, ids, hosts);
            // This process speaks to the nodes as node n1: it runs them all and holds their keys anyway, and with
            // users on, a node certificate may make the calls a shrink needs (decommission) without a user.
            TlsMaterial material = TlsMaterial.load(TlsSettings.trusting(certs.caFile())
                    .withIdentity(certs.certFile(ids.get(0)), certs.keyFile(ids.get(0))));
            channels = ChannelFactory.tls(material, true);
            adminHttp = AdminHttp.tls(material);
        } catch (IOException e) {
            return "cannot write the certificates in " + tlsDir + ": " + e.getMessage();
        } catch (TlsConfigException | IllegalArgumentException e) {
            return e.getMessage() + " (the certificates of this local cluster are in " + tlsDir
                    + "; delete that directory to have them made again)";
        }
        return null;
    }

    private static LocalNode locals(LocalLayout layout, int index) {
        return new LocalNode(new LocalLayout(layout.root(), layout.clientPort(1), index), index);
    }

    /**
     * {@code config} with this local cluster's TLS (node certificate, CA, client certificates required) and users and
     * roles.
     */
    private NodeConfig withTls(NodeConfig config) {
        if (certs == null) {
            return config;
        }
        String id = config.nodeId();
        return config.withTls(new NodeConfig.Tls(true, certs.certFile(id), certs.keyFile(id), certs.caFile(), true))
                .withSecurity(NodeConfig.Security.enabledWithDefaults());
    }

    /**
     * A change of the node count of an existing local cluster: {@code from} nodes in DIR, {@code to} asked for. A
     * new DIR ({@code from} 0) or the same count is no resize.
     */
    record Resize(int from, int to) {
        boolean grows() {
            return from > 0 && to > from;
        }

        boolean shrinks() {
            return to < from;
        }

        /** The node ids that join (growing) or leave (shrinking, highest first). */
        List<String> changed() {
            List<String> ids = new ArrayList<>();
            if (grows()) {
                for (int i = from + 1; i <= to; i++) {
                    ids.add("n" + i);
                }
            } else if (shrinks()) {
                for (int i = from; i > to; i--) {
                    ids.add("n" + i);
                }
            }
            return ids;
        }
    }

    /**
     * Why DIR's {@code existing} nodes cannot become {@code wanted}, or null if they can: a single node is a cluster
     * of its own (one copy of each record, no seeds) and is not resized; no cluster shrinks below the replication
     * factor of its namespaces (the nodes would refuse the decommission; refusing here changes nothing and starts
     * nothing).
     */
    static String resizeRefusal(Path root, int existing, int wanted) {
        if (existing == 1) {
            return root + " holds a single node (n1); use --nodes 1 (or leave --nodes out), or another --dir: a single"
                    + " node is a cluster of its own (one copy of each record) and is not resized";
        }
        if (wanted >= existing) {
            return null;
        }
        int rf;
        try {
            rf = new LocalNode(new LocalLayout(root, 1, 1), 1).existingConfig()
                    .map(c -> c.namespaces().stream().mapToInt(NamespaceConfig::replicationFactor).max().orElse(1))
                    .orElse(1);
        } catch (RuntimeException e) {
            return null; // reported with the file name when the configs are read
        }
        if (wanted < rf) {
            return root + " holds a local cluster of " + existing + " nodes whose namespaces keep " + rf
                    + " copies of each record (replication-factor " + rf + "): it cannot shrink below " + rf
                    + " nodes without losing copies; use --nodes " + rf + (rf < existing - 1 ? " or more" : "")
                    + " (or leave --nodes out to keep " + existing + ")";
        }
        return null;
    }

    /**
     * The configuration of node {@code index} added to a running local cluster of {@code members} nodes: the layout's
     * ports, the members as seeds, {@code auto-join: true} (it asks a seed to add it), and the cluster's namespaces,
     * group count and Raft settings as n1 has them (a node whose differ is refused).
     */
    static NodeConfig joinerConfig(LocalLayout layout, LocalNode node, int index, int members, NodeConfig n1,
                                   java.util.function.UnaryOperator<NodeConfig> secure) throws IOException {
        NodeConfig config = newConfig(layout, index);
        String address = config.listen().address();
        List<String> seeds = new ArrayList<>();
        for (int j = 1; j <= members; j++) {
            seeds.add(address + ":" + layout.clientPort(j));
        }
        config = secure.apply(config.withSeeds(seeds).withNamespaces(n1.namespaces()).withRaftGroups(n1.raftGroups())
                .withRaft(n1.raft()).withAutoJoin(true));
        node.writeConfig(config);
        return config;
    }

    /** How many nodes DIR holds: n1, n2, ... with a node.yaml, counted from n1 up to the first gap. */
    public static int existingNodeCount(Path root) {
        int n = 0;
        while (Files.exists(root.resolve("n" + (n + 1)).resolve("node.yaml"))) {
            n++;
        }
        return n;
    }

    /** --port, or on a restart without it the client port n1 was created with. */
    private int basePort(Path root, int existing) {
        if (existing == 0 || explicit("--port")) {
            return basePort;
        }
        try {
            return new LocalNode(new LocalLayout(root, 1, 1), 1).existingConfig()
                    .map(c -> c.listen().clientPort()).filter(p -> p > 0).orElse(basePort);
        } catch (RuntimeException e) {
            return basePort; // reported with the file name when the configs are read
        }
    }

    private boolean explicit(String option) {
        return spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private String busyMessage(LocalLayout layout, LocalNode node, List<NodeConfig> configs, String busy,
                               String address) {
        boolean single = configs.size() == 1;
        String which = single ? "port " + busy : "port " + busy + " of node " + node.nodeId();
        String hint;
        if (explicit("--port") || !reusedConfig) {
            hint = single ? "pick other ports with --port BASE (BASE, BASE+1 and BASE+2 must be free)"
                    : "pick other ports with --port BASE (BASE to BASE+" + (LocalLayout.PORTS_PER_NODE * nodes - 1)
                            + " must be free)";
        } else if (single) {
            NodeConfig.Listen listen = configs.get(0).listen();
            hint = node.dir() + " uses ports " + listen.clientPort() + "-" + listen.adminPort()
                    + "; free them, or start a new cluster with --dir OTHER --port BASE";
        } else {
            String ports = configs.stream().map(c -> c.listen().clientPort() + "-" + c.listen().adminPort())
                    .collect(Collectors.joining(", "));
            hint = layout.root() + " uses ports " + ports
                    + "; free them, or start a new cluster with --dir OTHER --port BASE";
        }
        return which + " on " + address + " is already in use; " + hint;
    }

    /** {@code auto} as {@link NodeConfig#RAFT_GROUPS_AUTO}, a number 1..4096 as itself, anything else as -1. */
    static int parseRaftGroups(String text) {
        if (NodeConfig.RAFT_GROUPS_AUTO_TEXT.equals(text)) {
            return NodeConfig.RAFT_GROUPS_AUTO;
        }
        try {
            int groups = Integer.parseInt(text);
            return groups >= 1 && groups <= io.partita.protocol.Limits.PARTITION_COUNT ? groups : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The existing node.yaml (data dir kept in sync with DIR), or a new one for this layout. */
    private NodeConfig prepareConfig(LocalLayout layout, LocalNode node, int index) throws IOException {
        Optional<NodeConfig> existing = node.existingConfig();
        if (existing.isPresent()) {
            reusedConfig = true;
            NodeConfig config = existing.get();
            if (index == 1 && explicit("--port") && config.listen().clientPort() != layout.clientPort(1)) {
                throw new IllegalArgumentException(node.dir() + " was created with --port "
                        + config.listen().clientPort() + "; use that port (or leave --port out), or a new --dir");
            }
            if (explicit("--raft-groups") && raftGroups != NodeConfig.RAFT_GROUPS_AUTO
                    && config.raftGroups() != raftGroups) {
                throw new IllegalArgumentException(node.dir() + " was created with --raft-groups "
                        + config.raftGroupsText() + "; the group count is fixed once a cluster exists: use a new --dir");
            }
            if (!config.dataDir().toAbsolutePath().normalize().equals(node.dir())) {
                // DIR was moved or renamed: same node, same data, new place.
                config = config.withDataDir(node.dir());
                node.writeConfig(config);
            }
            return config;
        }
        NodeConfig config = withTls(newConfig(layout, index).withRaftGroups(raftGroups));
        node.writeConfig(config);
        return config;
    }

    /**
     * The configuration of node {@code index} on its first start: the defaults with the layout's ports, no
     * leadership hand-off on stop, and with more than one node the other nodes as seeds and replication factor min(3, N) in every namespace.
     */
    public static NodeConfig newConfig(LocalLayout layout, int index) {
        // stop-hand-off 0s: local stops every node at once (Ctrl-C), so handing leaderships to nodes that are
        // stopping too only makes the stop slower.
        NodeConfig config = NodeConfig.defaults(layout.nodeId(index), layout.nodeDir(index))
                .withPorts(layout.clientPort(index), layout.raftPort(index), layout.adminPort(index))
                .withStopHandOff(java.time.Duration.ZERO);
        if (layout.nodes() == 1) {
            return config;
        }
        String address = config.listen().address();
        List<String> seeds = new ArrayList<>();
        for (int j = 1; j <= layout.nodes(); j++) {
            if (j != index) {
                seeds.add(address + ":" + layout.clientPort(j));
            }
        }
        int rf = Math.min(MAX_REPLICATION_FACTOR, layout.nodes());
        List<NamespaceConfig> namespaces = config.namespaces().stream()
                .map(ns -> new NamespaceConfig(ns.name(), rf, ns.defaultTtlSeconds(), ns.maxRecordSize()))
                .toList();
        return config.withSeeds(seeds).withNamespaces(namespaces);
    }

    /** A spawned node process. */
    private record Running(LocalNode node, NodeConfig config, Process process) {
        long pid() {
            return process.pid();
        }

        String clientAddress() {
            return config.listen().address() + ":" + config.listen().clientPort();
        }

        String label() {
            return "node " + node.nodeId() + " (pid " + pid() + ")";
        }
    }

    private int run(LocalLayout layout, List<LocalNode> locals, List<NodeConfig> configs, Resize resize) {
        boolean single = locals.size() == 1;
        List<Running> started = new ArrayList<>(); // guarded by itself
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            List<Running> all;
            synchronized (started) {
                stopping.set(true);
                all = List.copyOf(started);
            }
            try {
                stopAll(all, single);
            } finally {
                stopped.countDown();
            }
        }, "partita-local-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        boolean one = resize.changed().size() == 1;
        if (resize.grows()) {
            out.println("Growing the local cluster from " + resize.from() + " to " + resize.to() + " nodes: "
                    + String.join(", ", resize.changed()) + (one ? " joins by itself" : " join by themselves")
                    + " (auto-join) once every node is up.");
        } else if (resize.shrinks()) {
            out.println("Shrinking the local cluster from " + resize.from() + " to " + resize.to() + " nodes: "
                    + String.join(", ", resize.changed()) + (one ? " hands its replicas over and leaves"
                    : " hand their replicas over and leave") + " once every node is up.");
        }
        if (!single) {
            out.println("Starting " + locals.size() + " nodes in " + layout.root() + ":");
            out.flush();
        }
        for (int i = 0; i < locals.size(); i++) {
            LocalNode node = locals.get(i);
            Running r = null;
            IOException failure = null;
            synchronized (started) {
                if (stopping.get()) {
                    break;
                }
                try {
                    r = new Running(node, configs.get(i), node.spawn());
                    started.add(r);
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                if (!removeHook(hook)) {
                    awaitQuietly(stopped); // Ctrl-C meanwhile: the hook stops what was started
                    return 0;
                }
                List<Running> all;
                synchronized (started) {
                    all = List.copyOf(started);
                }
                stopQuietly(all);
                return fail(1, "cannot start " + (single ? "the node" : "node " + node.nodeId()) + " process: "
                        + failure.getMessage() + (all.isEmpty() ? "" : "; stopped the nodes already started"));
            }
            if (single) {
                out.println("Starting node " + node.nodeId() + " (pid " + r.pid()
                        + "), waiting until it is ready...");
            } else {
                out.println("  " + node.nodeId() + "  pid " + r.pid() + "  client " + r.clientAddress());
            }
            out.flush();
        }
        List<Running> all;
        synchronized (started) {
            all = List.copyOf(started);
        }
        if (stopping.get()) {
            awaitQuietly(stopped);
            return 0;
        }

        String problem = null; // why the start failed, null if the cluster became ready
        List<Running> blame = List.of(); // whose log tails to show
        int failedWith = 1; // the exit code of a failed start
        ClusterPlan plan = null;
        try (AdminClient admin = new AdminClient(channels)) {
            if (!single) {
                out.println("Waiting until every node listens...");
                out.flush();
                Startup listening = awaitListening(admin, all);
                if (listening.problem != null) {
                    problem = listening.problem;
                    blame = listening.blame;
                } else {
                    plan = listening.plan;
                    if (plan == null) {
                        Startup init = initCluster(admin, all);
                        problem = init.problem;
                        blame = init.blame;
                        plan = init.plan;
                    } else {
                        out.println("Cluster " + plan.getClusterId() + " exists (created on an earlier start); "
                                + "the nodes rejoin it.");
                    }
                }
                if (problem == null) {
                    out.println("Waiting until every node is ready...");
                    out.flush();
                }
            }
            if (problem == null) {
                Startup ready = awaitAllReady(all);
                problem = ready.problem;
                blame = ready.blame;
            }
            // Nodes the plan does not list are joining (auto-join): grown now, or by a start that stopped early.
            List<String> joining = plan == null || resize.shrinks() ? List.of() : notListed(all, plan);
            if (problem == null && plan != null && (!joining.isEmpty() || resize.shrinks())) {
                Startup resized = resize.shrinks() ? shrink(admin, all, plan, resize) : grow(admin, all, plan, joining);
                problem = resized.problem;
                blame = resized.blame;
                failedWith = resized.exitCode;
                plan = resized.plan != null ? resized.plan : plan;
            }
        }
        if (problem == null && resize.shrinks()) {
            all = removeLeft(all, resize, started);
        }
        if (problem == null) {
            if (single) {
                printBanner(all.get(0));
            } else {
                printClusterBanner(layout, all, plan);
            }
            return monitor(all, hook, stopping, stopped);
        }

        // The start failed, unless Ctrl-C came meanwhile (then the hook stops the nodes).
        if (stoppedByUs(stopping) || !removeHook(hook)) {
            awaitQuietly(stopped);
            return 0;
        }
        stopQuietly(all);
        err.println("partita local: " + problem + (blame.isEmpty() ? "" : "; last lines of "
                + blame.get(0).node().logFile() + ":"));
        for (int i = 0; i < blame.size(); i++) {
            if (i > 0) {
                err.println("last lines of " + blame.get(i).node().logFile() + ":");
            }
            for (String line : blame.get(i).node().logTail(TAIL_LINES)) {
                err.println("  " + line);
            }
        }
        err.flush();
        return failedWith;
    }

    /**
     * The result of a start-up step: a problem (and the nodes whose logs explain it, and the exit code), or the plan
     * found.
     */
    private record Startup(String problem, List<Running> blame, ClusterPlan plan, int exitCode) {
        static Startup ok(ClusterPlan plan) {
            return new Startup(null, List.of(), plan, ExitCodes.OK);
        }

        static Startup failed(String problem, List<Running> blame) {
            return new Startup(problem, blame, null, 1);
        }

        /** The cluster refused the change as asked: a usage error, nothing to see in the logs. */
        static Startup refused(String problem) {
            return new Startup(problem, List.of(), null, ExitCodes.USAGE);
        }
    }

    /** The ids of the started nodes that {@code plan} does not list. */
    private static List<String> notListed(List<Running> all, ClusterPlan plan) {
        return all.stream().map(r -> r.node().nodeId()).filter(id -> PlanView.node(plan, id).isEmpty()).toList();
    }

    /**
     * Waits until the {@code joining} nodes are members (they ask a seed themselves, auto-join) and the rebalancer
     * has moved replicas onto them: the plan lists them, records no move, and stays so for {@link #SETTLED}.
     */
    private Startup grow(AdminClient admin, List<Running> all, ClusterPlan plan, List<String> joining) {
        out.println("Waiting until " + String.join(", ", joining) + (joining.size() == 1 ? " is a member"
                : " are members") + " and the replicas are rebalanced...");
        out.flush();
        return follow(admin, all, plan, SETTLED,
                p -> joining.stream().allMatch(id -> PlanView.node(p, id).isPresent())
                        && Rebalancing.moves(p).isEmpty(),
                p -> joining.stream().map(id -> PlanView.node(p, id).isEmpty() ? id + ": not a member yet"
                        : id + ": " + Rebalancing.replicas(Rebalancing.replicasHeld(p, id))).toList(),
                p -> "rebalanced: " + String.join(", ", joining) + (joining.size() == 1 ? " is a member" : " are "
                        + "members") + " of cluster " + p.getClusterId() + " (plan version " + p.getVersion() + "); "
                        + replicasPerNode(p));
    }

    /**
     * Decommissions the nodes that {@code resize} removes, highest first, through a member that stays, and waits
     * until the plan no longer lists them. A refusal (PARAMETER_ERROR, e.g. too few nodes would be left for the
     * replication factor) is a usage error that quotes the cluster.
     */
    private Startup shrink(AdminClient admin, List<Running> all, ClusterPlan plan, Resize resize) {
        List<String> leaving = resize.changed();
        List<String> staying = all.stream().filter(r -> !leaving.contains(r.node().nodeId()))
                .map(Running::clientAddress).toList();
        long deadline = System.nanoTime() + DECOMMISSION_REQUEST_TIMEOUT.toNanos();
        FirstHost.Found member = FirstHost.find(admin, staying, deadline,
                d -> d.hasPlan() ? null : "not in a cluster: waits to join one");
        if (!member.ok()) {
            return Startup.failed("cannot reach a member of the cluster to decommission " + String.join(", ", leaving)
                    + ": " + member.why(DECOMMISSION_REQUEST_TIMEOUT) + "; stopping all nodes", List.of());
        }
        List<String> marked = new ArrayList<>();
        for (String id : leaving) {
            Duration left = NodeChangeCommand.left(deadline, DECOMMISSION_REQUEST_TIMEOUT);
            DecommissionNodeResponse r;
            try {
                r = admin.decommission(member.address(), id, left);
            } catch (StatusRuntimeException e) {
                return Startup.failed("cannot decommission " + id + " through " + member.address() + ": "
                        + AdminClient.describe(e, left) + "; stopping all nodes" + markedAlready(marked), List.of());
            }
            ResultCode code = ResultCode.fromCode(r.getStatus().getCode());
            if (code == ResultCode.PARAMETER_ERROR) {
                return Startup.refused("cannot shrink to " + resize.to() + " nodes: the cluster refused to "
                        + "decommission " + id + ": " + code + ": " + r.getStatus().getMessage()
                        + "; stopped the nodes" + markedAlready(marked));
            }
            if (code != ResultCode.OK || !r.hasPlan()) {
                return Startup.failed("cannot decommission " + id + ": " + code + ": " + r.getStatus().getMessage()
                        + "; stopping all nodes" + markedAlready(marked), List.of());
            }
            marked.add(id);
            if (r.getPlan().getVersion() > plan.getVersion()) {
                plan = r.getPlan();
            }
            out.println(id + (r.getAlreadyLeaving() ? " is already leaving" : " is leaving") + ": "
                    + Rebalancing.replicasLeft(Rebalancing.replicasHeld(r.getPlan(), id)));
        }
        out.println("Waiting until " + String.join(", ", leaving) + (leaving.size() == 1 ? " has" : " have")
                + " left the plan...");
        out.flush();
        return follow(admin, all, plan, Duration.ZERO,
                p -> leaving.stream().allMatch(id -> PlanView.node(p, id).isEmpty()),
                p -> leaving.stream().filter(id -> PlanView.node(p, id).isPresent())
                        .map(id -> id + ": " + Rebalancing.replicasLeft(Rebalancing.replicasHeld(p, id))).toList(),
                p -> "rebalanced: " + String.join(", ", leaving) + (leaving.size() == 1 ? " has" : " have")
                        + " left cluster " + p.getClusterId() + " (plan version " + p.getVersion() + "); "
                        + replicasPerNode(p));
    }

    /** What a failed shrink leaves behind: nodes already marked leaving keep leaving when the cluster next runs. */
    private static String markedAlready(List<String> marked) {
        return marked.isEmpty() ? "" : " (" + String.join(", ", marked) + (marked.size() == 1 ? " is" : " are")
                + " leaving already and hand their replicas over whenever the cluster runs; run partita local"
                + " --nodes again with a count the cluster allows to finish)";
    }

    /** {@code replicas per node: n1 5, n2 4, ...}, over the plan's nodes. */
    private static String replicasPerNode(ClusterPlan plan) {
        return "replicas per node: " + plan.getNodesList().stream()
                .map(n -> n.getNodeId() + " " + Rebalancing.replicasHeld(plan, n.getNodeId()))
                .collect(Collectors.joining(", "));
    }

    /**
     * Follows the plan every {@link #RESIZE_POLL} until {@code reached} has held for {@code settle} on one plan
     * version, printing {@code rebalancing: N moves in progress (details)} when it changes, at most every
     * {@link #PROGRESS_EVERY}, and {@code done} at the end. Fails when a node exits or {@link #RESIZE_TIMEOUT} passes.
     */
    private Startup follow(AdminClient admin, List<Running> all, ClusterPlan plan, Duration settle,
                           Predicate<ClusterPlan> reached, Function<ClusterPlan, List<String>> details,
                           Function<ClusterPlan, String> done) {
        PlanFollower follower = new PlanFollower(admin, all.stream().map(Running::clientAddress).toList(), plan);
        long deadline = System.nanoTime() + RESIZE_TIMEOUT.toNanos();
        long reachedSince = -1; // when reached last became true for the plan version in force
        long reachedVersion = -1;
        String lastLine = null;
        long lastPrinted = 0;
        try {
            while (true) {
                for (Running r : all) {
                    if (!r.process().isAlive()) {
                        return exited(r, false);
                    }
                }
                long now = System.nanoTime();
                if (reached.test(plan)) {
                    if (reachedVersion != plan.getVersion()) {
                        reachedVersion = plan.getVersion();
                        reachedSince = now;
                    }
                    if (now - reachedSince >= settle.toNanos()) {
                        out.println(done.apply(plan));
                        out.flush();
                        return Startup.ok(plan);
                    }
                } else {
                    reachedVersion = -1;
                }
                List<String> detail = details.apply(plan);
                int moving = Rebalancing.moves(plan).size();
                String line = "rebalancing: " + moving + (moving == 1 ? " move" : " moves") + " in progress"
                        + (detail.isEmpty() ? "" : " (" + String.join(", ", detail) + ")");
                if (!line.equals(lastLine) && (lastLine == null || now - lastPrinted >= PROGRESS_EVERY.toNanos())) {
                    out.println(line);
                    out.flush();
                    lastLine = line;
                    lastPrinted = now;
                }
                if (now > deadline) {
                    return Startup.failed("the rebalance did not finish within " + Durations.format(RESIZE_TIMEOUT)
                            + " (" + line + "); stopping all nodes. It goes on the next time the cluster runs: run "
                            + "the same partita local command again", List.of());
                }
                Thread.sleep(RESIZE_POLL.toMillis());
                plan = follower.poll(NodeDecommissionCommand.POLL_DEADLINE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Startup.failed("interrupted while the cluster rebalances; stopping the nodes", List.of());
        }
    }

    /**
     * Stops the nodes that have left the plan and removes their directories (they hold no replica any more), so that
     * DIR counts the nodes that stay; returns those.
     */
    private List<Running> removeLeft(List<Running> all, Resize resize, List<Running> started) {
        List<String> leaving = resize.changed();
        List<Running> left = all.stream().filter(r -> leaving.contains(r.node().nodeId())).toList();
        out.println("Stopping " + left.stream().map(r -> r.node().nodeId() + " (pid " + r.pid() + ")")
                .collect(Collectors.joining(", ")) + ": " + (left.size() == 1 ? "it has" : "they have")
                + " left the cluster...");
        out.flush();
        stopQuietly(left);
        synchronized (started) {
            started.removeAll(left);
        }
        for (Running r : left) {
            try {
                deleteTree(r.node().dir());
                out.println("Removed " + r.node().dir() + ": " + r.node().nodeId() + " holds no replica any more.");
            } catch (IOException e) {
                err.println("partita local: cannot remove " + r.node().dir() + " (" + e.getMessage() + "); "
                        + r.node().nodeId() + " holds no replica any more: delete it by hand, or the next start on "
                        + "this DIR counts it as a node");
                err.flush();
            }
        }
        out.flush();
        return all.stream().filter(r -> !left.contains(r)).toList();
    }

    private static void deleteTree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A node that has exited, as a failed step (the others are stopped by the caller). */
    private static Startup exited(Running r, boolean single) {
        return Startup.failed(r.label() + " exited with code " + exitValue(r.process())
                + (single ? "" : "; stopping the other nodes"), List.of(r));
    }

    /** Waits until every node answers DescribeNode; the plan is the one any node already has (a restart). */
    private Startup awaitListening(AdminClient admin, List<Running> all) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        List<String> addresses = all.stream().map(Running::clientAddress).toList();
        try {
            while (true) {
                for (Running r : all) {
                    if (!r.process().isAlive()) {
                        return exited(r, false);
                    }
                }
                Map<String, AdminClient.Answer<NodeDescription>> answers = admin.describeAll(addresses,
                        Duration.ofSeconds(1));
                List<Running> silent = new ArrayList<>();
                ClusterPlan plan = null;
                for (Running r : all) {
                    AdminClient.Answer<NodeDescription> a = answers.get(r.clientAddress());
                    if (!a.ok()) {
                        silent.add(r);
                    } else if (a.value().hasPlan() && plan == null) {
                        plan = a.value().getPlan();
                    }
                }
                if (silent.isEmpty()) {
                    return Startup.ok(plan);
                }
                if (System.nanoTime() > deadline) {
                    return Startup.failed(nodeList(silent) + " did not answer on " + (silent.size() == 1 ? "its"
                            : "their") + " client port within " + READY_TIMEOUT.toSeconds() + " s; stopping all "
                            + "nodes", silent);
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Startup.failed("interrupted while waiting for the nodes; stopping them", List.of());
        }
    }

    /**
     * Runs cluster init over every node and prints its summary. A failure other than a refusal is retried while
     * time is left: the nodes may still be starting their groups, and init reports a cluster that already formed.
     */
    private Startup initCluster(AdminClient admin, List<Running> all) {
        List<String> hosts = all.stream().map(Running::clientAddress).toList();
        out.println("Creating the cluster (first start): partita cluster init --hosts " + String.join(",", hosts));
        out.flush();
        long deadline = System.nanoTime() + INIT_TIMEOUT.toNanos();
        ClusterInit.Outcome outcome;
        while (true) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            outcome = ClusterInit.run(admin, hosts, left.toMillis() < 1000 ? Duration.ofSeconds(1) : left);
            if (outcome.ok() || outcome.exitCode() == ExitCodes.USAGE || System.nanoTime() > deadline) {
                break;
            }
            for (Running r : all) {
                if (!r.process().isAlive()) {
                    return exited(r, false);
                }
            }
            out.println("  (not complete yet, trying again: " + abbreviate(ClientCommand.oneLine(outcome.problem()),
                    240) + ")");
            out.flush();
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Startup.failed("interrupted while creating the cluster; stopping the nodes", List.of());
            }
        }
        if (!outcome.ok()) {
            return Startup.failed("cannot create the cluster: " + ClientCommand.oneLine(outcome.problem())
                    + "; stopping all nodes", List.of());
        }
        out.println();
        // No node had a plan before: whatever cluster exists now was created by this start (possibly by an
        // attempt that timed out while the nodes were still starting their groups).
        for (String line : PlanSummary.lines(outcome.response().getPlan(), false)) {
            out.println(line.isEmpty() ? "" : "  " + line);
        }
        out.println();
        out.flush();
        return Startup.ok(outcome.response().getPlan());
    }

    /** Polls every node's /ready until all answer 200, a node exits or the timeout passes. */
    private Startup awaitAllReady(List<Running> all) {
        boolean single = all.size() == 1;
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        List<Running> waiting = new ArrayList<>(all);
        try {
            while (true) {
                for (Running r : all) {
                    if (!r.process().isAlive()) {
                        return exited(r, single);
                    }
                }
                List<Running> still = new ArrayList<>();
                for (Running r : waiting) {
                    NodeConfig.Listen l = r.config().listen();
                    if (!adminHttp.isReady(l.address(), l.adminPort())) {
                        still.add(r);
                    }
                }
                waiting = still;
                if (waiting.isEmpty()) {
                    return Startup.ok(null);
                }
                if (System.nanoTime() > deadline) {
                    String who = single ? waiting.get(0).label() : nodeList(waiting);
                    return Startup.failed(who + (waiting.size() == 1 ? " was" : " were") + " not ready within "
                            + readyTimeout.toSeconds() + " s; " + (single ? "stopping it" : "stopping all nodes"),
                            waiting);
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return single ? Startup.failed("interrupted while waiting for node " + all.get(0).node().nodeId()
                    + "; stopping it", all) : Startup.failed("interrupted while waiting for the nodes; stopping them",
                    List.of());
        }
    }

    private static String nodeList(List<Running> rs) {
        return (rs.size() == 1 ? "node " : "nodes ") + rs.stream().map(r -> r.node().nodeId())
                .collect(Collectors.joining(", "));
    }

    /**
     * Runs until every node has exited or Ctrl-C / SIGTERM. A node that dies is reported with its log tail; the
     * others keep running.
     *
     * @return 0 when stopped by Ctrl-C / SIGTERM, 1 when every node died
     */
    private int monitor(List<Running> all, Thread hook, AtomicBoolean stopping, CountDownLatch stopped) {
        boolean single = all.size() == 1;
        List<Running> alive = new ArrayList<>(all);
        while (true) {
            List<Running> died = new ArrayList<>();
            try {
                while (died.isEmpty()) {
                    for (Running r : alive) {
                        if (!r.process().isAlive()) {
                            died.add(r);
                        }
                    }
                    if (died.isEmpty()) {
                        alive.get(0).process().waitFor(200, TimeUnit.MILLISECONDS);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stoppedByUs(stopping)) {
                awaitQuietly(stopped);
                return 0;
            }
            alive.removeAll(died);
            if (alive.isEmpty()) {
                // Not asked to stop and nothing left to run.
                if (!removeHook(hook)) {
                    awaitQuietly(stopped); // the JVM began to shut down meanwhile: the hook handles it
                    return 0;
                }
            }
            for (Running r : died) {
                r.node().exited(r.process());
                r.node().deletePidFile(r.pid());
                err.println("partita local: " + r.label() + " exited with code " + exitValue(r.process())
                        + "; last lines of " + r.node().logFile() + ":");
                for (String line : r.node().logTail(TAIL_LINES)) {
                    err.println("  " + line);
                }
            }
            if (alive.isEmpty()) {
                if (!single) {
                    err.println("partita local: every node has exited");
                }
                err.flush();
                return 1;
            }
            err.println("partita local: " + alive.size() + " of " + all.size() + " nodes keep running ("
                    + alive.stream().map(r -> r.node().nodeId()).collect(Collectors.joining(", "))
                    + "): every group with a majority of its replicas on them keeps serving. Check with: "
                    + "bin/partita status --hosts " + hosts(alive) + ". Ctrl-C stops them.");
            err.flush();
        }
    }

    /** Stops the nodes side by side (SIGTERM, then a kill after the grace period) and removes their pid files. */
    private void stopAll(List<Running> all, boolean single) {
        List<Running> alive = all.stream().filter(r -> r.process().isAlive()).toList();
        if (single && !all.isEmpty()) {
            Running r = all.get(0);
            out.println("Stopping node " + r.node().nodeId() + " (pid " + r.pid() + ")...");
        } else if (!alive.isEmpty()) {
            out.println("Stopping " + (alive.size() == 1 ? "node " : alive.size() + " nodes (") + alive.stream()
                    .map(r -> r.node().nodeId() + " pid " + r.pid()).collect(Collectors.joining(", "))
                    + (alive.size() == 1 ? "" : ")") + "...");
        }
        out.flush();
        stopQuietly(all);
        out.println("stopped");
        out.flush();
    }

    /** Stops every process side by side and removes the pid files. */
    private static void stopQuietly(List<Running> all) {
        List<Thread> threads = new ArrayList<>();
        for (Running r : all) {
            Thread t = new Thread(() -> LocalNode.stop(r.process(), STOP_GRACE), "partita-stop-" + r.node().nodeId());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Running r : all) {
            r.node().exited(r.process());
            r.node().deletePidFile(r.pid());
        }
    }

    /** Removes the shutdown hook; false if the JVM is already shutting down (the hook runs). */
    private static boolean removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Whether the shutdown hook runs; gives it a moment to start when Ctrl-C reached the nodes first. */
    private static boolean stoppedByUs(AtomicBoolean stopping) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        while (!stopping.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return stopping.get();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String exitValue(Process p) {
        try {
            return Integer.toString(p.exitValue());
        } catch (IllegalThreadStateException e) {
            return "?";
        }
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String hosts(List<Running> rs) {
        return rs.stream().map(Running::clientAddress).collect(Collectors.joining(","));
    }

    private void printBanner(Running r) {
        NodeConfig config = r.config();
        NodeConfig.Listen listen = config.listen();
        String client = r.clientAddress();
        String ns = config.namespaces().get(0).name();
        out.println("Partita node " + r.node().nodeId() + " is ready.");
        out.println("  pid:       " + r.pid());
        out.println("  data dir:  " + r.node().dir());
        out.println("  log file:  " + r.node().logFile());
        out.println("  client:    " + client + "   (admin " + adminHttp.readyUrl(listen.address(), listen.adminPort())
                + ")");
        out.println();
        printTryIt(List.of(config));
        out.println("  bin/partita put --hosts " + client + " " + ns + " demo alice name=Alice age=30");
        out.println("  bin/partita get --hosts " + client + " " + ns + " demo alice");
        out.println("  bin/partita status --hosts " + client);
        out.println();
        out.println("Or from Java (io.partita:partita-client):");
        out.println("  try (PartitaClient client = " + javaConnect("\"" + client + "\"") + ") {");
        out.println("      client.put(new Key(\"" + ns + "\", \"demo\", \"alice\"), Map.of(\"name\", \"Alice\", "
                + "\"age\", 30));");
        out.println("  }");
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private void printClusterBanner(LocalLayout layout, List<Running> all, ClusterPlan plan) {
        String hosts = hosts(all);
        String ns = all.get(0).config().namespaces().get(0).name();
        StringBuilder head = new StringBuilder("Partita local cluster of " + all.size() + " nodes is ready");
        if (plan != null) {
            head.append(" (cluster ").append(plan.getClusterId()).append(", replication factor ")
                    .append(plan.getReplicationFactor()).append(')');
        }
        out.println(head.append('.'));
        out.println();
        TextTable t = new TextTable("NODE", "PID", "CLIENT", "ADMIN", "LOG");
        for (Running r : all) {
            NodeConfig.Listen l = r.config().listen();
            t.row(r.node().nodeId(), r.pid(), r.clientAddress(), adminHttp.readyUrl(l.address(), l.adminPort()),
                    r.node().logFile());
        }
        t.lines("  ").forEach(out::println);
        out.println("  data:  " + layout.root() + "/n<i>/");
        out.println();
        printTryIt(all.stream().map(Running::config).toList());
        out.println("  bin/partita put --hosts " + hosts + " " + ns + " demo alice name=Alice age=30");
        out.println("  bin/partita get --hosts " + hosts + " " + ns + " demo alice");
        out.println("  bin/partita status --hosts " + hosts);
        out.println("  bin/partita bench --hosts " + hosts + " --duration 30s");
        out.println();
        out.println("Or from Java (io.partita:partita-client):");
        out.println("  try (PartitaClient client = " + javaConnect(all.stream()
                .map(r -> "\"" + r.clientAddress() + "\"").collect(Collectors.joining(", "))) + ") {");
        out.println("      client.put(new Key(\"" + ns + "\", \"demo\", \"alice\"), Map.of(\"name\", \"Alice\", "
                + "\"age\", 30));");
        out.println("  }");
        out.println();
        out.println("If a node dies, the others keep running (and serving while each group keeps a majority of its "
                + "replicas); kill one to watch a failover with bin/partita status.");
        out.println("Press Ctrl-C to stop all nodes.");
        out.flush();
    }

    /** How the Java snippet connects to {@code seeds} (quoted, comma-separated): with TLS, a ClientConfig. */
    private String javaConnect(String seeds) {
        if (certs == null) {
            return "PartitaClient.connect(" + seeds + ")";
        }
        return "PartitaClient.connect(ClientConfig.builder().seeds(" + seeds + ")\n          .tls(Path.of(\""
                + certs.caFile() + "\"))\n          .tlsIdentity(Path.of(\"" + certs.clientCertFile() + "\"), Path.of(\""
                + certs.clientKeyFile() + "\"))\n          .user(\"admin\", \"" + (adminPassword == null ? "PASSWORD"
                : adminPassword) + "\").build())";
    }

    /** The first lines of the "try it" hints: with TLS, the environment the commands need. */
    private void printTryIt(List<NodeConfig> configs) {
        if (certs == null) {
            out.println("Try it from another terminal:");
            return;
        }
        adminPassword = awaitAdminPassword(configs);
        out.println("TLS and users are on (certificates in " + certs.caFile().getParent() + "; clients need the CA, "
                + "a certificate and a user). Try it from another terminal:");
        out.println("  export " + TlsSettings.ENV_CA + "=" + certs.caFile() + " " + TlsSettings.ENV_CERT + "="
                + certs.clientCertFile() + " " + TlsSettings.ENV_KEY + "=" + certs.clientKeyFile());
        if (adminPassword != null) {
            out.println("  export PARTITA_USER=admin PARTITA_PASSWORD=" + adminPassword);
        } else {
            out.println("  export PARTITA_USER=admin PARTITA_PASSWORD=...   # the password a node writes to "
                    + "<data-dir>/initial-admin-password once the cluster's users exist (or yours, if changed)");
        }
    }

    /**
     * The admin's first password, from the node that created the users ({@code initial-admin-password}), waiting up
     * to {@link #ADMIN_PASSWORD_WAIT} for it; null if no node has it (not made yet, or deleted after a change).
     */
    private static String awaitAdminPassword(List<NodeConfig> configs) {
        long deadline = System.nanoTime() + ADMIN_PASSWORD_WAIT.toNanos();
        do {
            for (NodeConfig c : configs) {
                try {
                    return java.nio.file.Files.readString(c.initialAdminPasswordFile()).strip();
                } catch (IOException e) {
                    // not on this node (yet)
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        } while (System.nanoTime() < deadline);
        return null;
    }

    private int fail(int code, String message) {
        err.println("partita local: " + message);
        err.flush();
        return code;
    }
}
