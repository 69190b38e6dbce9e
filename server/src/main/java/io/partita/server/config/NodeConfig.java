package io.partita.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated, immutable configuration of one Partita node, as read from {@code conf/node.yaml} by
 * {@link ConfigLoader} or built in code from {@link #defaults(String, Path)}.
 *
 * <p>Every constructor validates its arguments and throws {@link ConfigException} naming the offending
 * key (relative to the record, e.g. {@code client-port}), so an instance is always usable. Sizes are in
 * bytes, timeouts are {@link Duration}s and TTLs are seconds. The keys and their ranges are documented in
 * {@code conf/node.yaml} and {@code conf/README.md}.
 *
 * @param nodeId      stable identity of the node, {@code [a-z0-9-]{1,32}} (key {@code node-id})
 * @param clusterName free-form cluster label, {@code [a-zA-Z0-9_-]{1,64}} (key {@code cluster-name})
 * @param listen      addresses and ports (section {@code listen})
 * @param dataDir     directory for RocksDB, Raft logs and cluster metadata (key {@code data-dir}); relative
 *                    paths are relative to the working directory of the process
 * @param raftGroups  number of Raft groups the 4096 partitions map to, 1..4096, or {@link #RAFT_GROUPS_AUTO} (key
 *                    {@code raft-groups}, {@code auto}: chosen from the node count when the cluster is created, see
 *                    {@link #raftGroupsFor})
 * @param namespaces  the namespaces, at least one, names unique (key {@code namespaces})
 * @param memory      RocksDB memory budgets (section {@code memory})
 * @param raft        Raft tuning (section {@code raft})
 * @param seeds       client addresses ({@code host:port}) of other nodes of the cluster (key {@code seeds}); empty
 *                    means the node is a cluster of its own, created at first start
 * @param metrics     metrics and request logging (section {@code metrics})
 * @param expiry      removal of expired records (section {@code expiry})
 * @param rack        rack (or zone) label of the node, {@code [a-zA-Z0-9_.-]{0,64}}, {@code ""} = no rack (key
 *                    {@code rack}); a group's replicas go to distinct racks whenever the cluster's active nodes span
 *                    at least as many racks as the replication factor
 * @param rebalance   replica moves onto added nodes and off decommissioned ones (section {@code rebalance})
 * @param autoJoin    whether a node with seeds and no cluster plan asks a seed to add it to the seed's cluster
 *                    (as {@code partita node add} would) instead of waiting for an operator (key {@code auto-join});
 *                    requires seeds
 * @param stopHandOff how long a node stopped by SIGTERM spends handing the leadership of the groups it leads to
 *                    other replicas before it closes, 0s..5m, 0s = not at all (key {@code stop-hand-off})
 * @param tls         TLS on the node's ports (section {@code tls})
 * @param auditLog    file the node appends its audit records to, one JSON object per line: administrative calls
 *                    (cluster init, node add and decommission, hand-off, plan pushes, exports, snapshot fetches,
 *                    truncates) and refused calls, with who called and the outcome (key {@code audit-log}); null =
 *                    {@code audit.log} in the data directory ({@link #auditLogFile()})
 * @param security    users, roles and sessions (section {@code security}); requires {@code tls}
 * @param limits      connections, calls and streams a node serves at once (section {@code limits})
 */
public record NodeConfig(String nodeId, String clusterName, Listen listen, Path dataDir, int raftGroups,
                         List<NamespaceConfig> namespaces, Memory memory, RaftTuning raft, List<String> seeds,
                         Metrics metrics, Expiry expiry, String rack, Rebalance rebalance, boolean autoJoin,
                         Duration stopHandOff, Tls tls, Path auditLog, Security security, Limits limits) {

    /** Default {@code cluster-name}. */
    public static final String DEFAULT_CLUSTER_NAME = "partita";
    /** {@code raft-groups: auto}: the cluster's group count is chosen when it is created, from its node count. */
    public static final int RAFT_GROUPS_AUTO = 0;
    /** How {@link #RAFT_GROUPS_AUTO} is written: in the config file and on the command line. */
    public static final String RAFT_GROUPS_AUTO_TEXT = "auto";
    /** Default {@code raft-groups}: {@code auto}. */
    public static final int DEFAULT_RAFT_GROUPS = RAFT_GROUPS_AUTO;
    /** Name of the namespace a default configuration has. */
    public static final String DEFAULT_NAMESPACE = "test";
    /** Default {@code rack}: none. */
    public static final String DEFAULT_RACK = "";
    /** Default {@code auto-join}: a node waits for {@code cluster init} or {@code partita node add}. */
    public static final boolean DEFAULT_AUTO_JOIN = false;
    /** Default {@code stop-hand-off}: 10s, well inside systemd's stop timeout and a pod's grace period. */
    public static final Duration DEFAULT_STOP_HAND_OFF = Duration.ofSeconds(10);
    /** Longest {@code stop-hand-off}, and longest hand-off a {@code HandOffLeadership} request may ask for: 5 min. */
    public static final long MAX_HAND_OFF_MS = 300_000;

    static final Pattern NODE_ID = Pattern.compile("[a-z0-9-]{1,32}");
    static final Pattern CLUSTER_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    static final Pattern RACK = Pattern.compile("[a-zA-Z0-9_.-]{0,64}");

    /**
     * Validates every component against the rules in the record documentation.
     *
     * @param nodeId node id
     * @param clusterName cluster label
     * @param listen addresses and ports
     * @param dataDir data directory
     * @param raftGroups number of Raft groups
     * @param namespaces namespaces, copied
     * @param memory memory budgets
     * @param raft Raft tuning
     * @param seeds seed client addresses, copied
     * @param metrics metrics settings
     * @param expiry expiry settings
     * @param rack rack label, {@code ""} for none
     * @param rebalance replica move settings
     * @param autoJoin whether the node joins a seed's cluster by itself; requires seeds
     * @param stopHandOff time a stopping node spends handing off its leaderships
     * @param tls TLS settings
     * @param auditLog audit log file, null for the default
     * @param security users and roles
     * @param limits connection and call limits
     * @throws ConfigException naming the first invalid component
     */
    public NodeConfig {
        Check.matches("node-id", nodeId, NODE_ID, "node id (use 1-32 characters of a-z, 0-9 and -)");
        Check.matches("cluster-name", clusterName, CLUSTER_NAME,
                "cluster name (use 1-64 characters of a-z, A-Z, 0-9, _ and -)");
        Check.required("listen", listen);
        Check.required("data-dir", dataDir);
        if (dataDir.toString().isEmpty()) {
            throw new ConfigException(null, "data-dir", "is empty (use e.g. ./data or /var/lib/partita)");
        }
        if (raftGroups != RAFT_GROUPS_AUTO) {
            Bound.RAFT_GROUPS.check("raft-groups", raftGroups);
        }
        Check.required("namespaces", namespaces);
        if (namespaces.isEmpty()) {
            throw new ConfigException(null, "namespaces", "at least one namespace is required (e.g. - name: test)");
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < namespaces.size(); i++) {
            NamespaceConfig ns = Check.required("namespaces[" + i + "]", namespaces.get(i));
            Integer previous = firstIndex.putIfAbsent(ns.name(), i);
            if (previous != null) {
                throw new ConfigException(null, "namespaces[" + i + "].name", "'" + ns.name()
                        + "' is already the name of namespaces[" + previous + "] (namespace names must be unique)");
            }
        }
        namespaces = List.copyOf(namespaces);
        Check.required("memory", memory);
        Check.required("raft", raft);
        Check.required("seeds", seeds);
        for (int i = 0; i < seeds.size(); i++) {
            Check.hostPort("seeds[" + i + "]", seeds.get(i));
        }
        seeds = List.copyOf(seeds);
        Check.required("metrics", metrics);
        Check.required("expiry", expiry);
        Check.matches("rack", rack, RACK, "rack label (use 0-64 characters of a-z, A-Z, 0-9, _, . and -)");
        Check.required("rebalance", rebalance);
        if (autoJoin && seeds.isEmpty()) {
            throw new ConfigException(null, "auto-join", "is true but seeds is empty: a node joins a cluster by"
                    + " asking one of its seeds (list the client addresses of running members under seeds, or set"
                    + " auto-join: false)");
        }
        Bound.STOP_HAND_OFF.check("stop-hand-off", Check.required("stop-hand-off", stopHandOff));
        Check.required("tls", tls);
        if (auditLog != null && auditLog.toString().isEmpty()) {
            throw new ConfigException(null, "audit-log", "is empty (give a file, or remove the key for "
                    + "<data-dir>/audit.log)");
        }
        Check.required("security", security);
        if (security.enabled() && !tls.enabled()) {
            throw new ConfigException(null, "security.enabled", "is true but tls.enabled is false: passwords and session "
                    + "tokens would cross the network in clear (enable tls, or set security.enabled: false)");
        }
        Check.required("limits", limits);
    }

    /**
     * The file in which the node that creates the cluster's users writes the first user's password: {@code
     * initial-admin-password} in the data directory.
     *
     * @return the file
     */
    public Path initialAdminPasswordFile() {
        return dataDir.resolve("initial-admin-password");
    }

    /**
     * The audit log's file: {@code audit-log}, or {@code audit.log} in the data directory.
     *
     * @return the file
     */
    public Path auditLogFile() {
        return auditLog != null ? auditLog : dataDir.resolve("audit.log");
    }

    /**
     * Returns the default configuration for a node: cluster {@value #DEFAULT_CLUSTER_NAME}, address
     * 127.0.0.1 with ports 7300/7301/7302, {@value #DEFAULT_RAFT_GROUPS} Raft groups, one namespace
     * {@value #DEFAULT_NAMESPACE}, no rack, and the defaults of {@link Memory}, {@link RaftTuning}, {@link Metrics},
     * {@link Expiry} and {@link Rebalance}.
     *
     * @param nodeId  the node id, {@code [a-z0-9-]{1,32}}
     * @param dataDir the data directory
     * @return a valid configuration, equal to what an otherwise empty YAML file with these two keys yields
     * @throws ConfigException if {@code nodeId} or {@code dataDir} is invalid
     */
    public static NodeConfig defaults(String nodeId, Path dataDir) {
        return new NodeConfig(nodeId, DEFAULT_CLUSTER_NAME, Listen.defaults(), dataDir, DEFAULT_RAFT_GROUPS,
                List.of(NamespaceConfig.defaults(DEFAULT_NAMESPACE)), Memory.defaults(), RaftTuning.defaults(), List.of(),
                Metrics.defaults(), Expiry.defaults(), DEFAULT_RACK, Rebalance.defaults(), DEFAULT_AUTO_JOIN,
                DEFAULT_STOP_HAND_OFF, Tls.disabled(), null, Security.disabled(),
                Limits.defaults());
    }

    /**
     * Returns a copy with other ports, keeping the address.
     *
     * @param clientPort gRPC client port, 0 = pick a free port
     * @param raftPort   Ratis port, 0 = pick a free port
     * @param adminPort  admin HTTP port, 0 = pick a free port
     * @return the new configuration
     */
    public NodeConfig withPorts(int clientPort, int raftPort, int adminPort) {
        return withListen(new Listen(listen.address(), clientPort, raftPort, adminPort,
                listen.advertiseRaftAddress(), listen.advertiseAddress()));
    }

    /**
     * Returns a copy with another {@code listen} section.
     *
     * @param newListen the addresses and ports
     * @return the new configuration
     */
    public NodeConfig withListen(Listen newListen) {
        return new NodeConfig(nodeId, clusterName, newListen, dataDir, raftGroups, namespaces, memory, raft, seeds,
                metrics, expiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with another cluster name.
     *
     * @param newClusterName the cluster label
     * @return the new configuration
     */
    public NodeConfig withClusterName(String newClusterName) {
        return new NodeConfig(nodeId, newClusterName, listen, dataDir, raftGroups, namespaces, memory, raft, seeds,
                metrics, expiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with another data directory.
     *
     * @param newDataDir the data directory
     * @return the new configuration
     */
    public NodeConfig withDataDir(Path newDataDir) {
        return new NodeConfig(nodeId, clusterName, listen, newDataDir, raftGroups, namespaces, memory, raft, seeds,
                metrics, expiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with another number of Raft groups.
     *
     * @param newRaftGroups 1..4096
     * @return the new configuration
     */
    public NodeConfig withRaftGroups(int newRaftGroups) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, newRaftGroups, namespaces, memory, raft, seeds,
                metrics, expiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with other namespaces.
     *
     * @param newNamespaces at least one namespace, names unique
     * @return the new configuration
     */
    public NodeConfig withNamespaces(List<NamespaceConfig> newNamespaces) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, newNamespaces, memory, raft, seeds,
                metrics, expiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with other memory budgets.
     *
     * @param newMemory the memory section
     * @return the new configuration
     */
    public NodeConfig withMemory(Memory newMemory) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, newMemory, raft, seeds,
                metrics, expiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with other Raft tuning.
     *
     * @param newRaft the raft section
     * @return the new configuration
     */
    public NodeConfig withRaft(RaftTuning newRaft) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, memory, newRaft, seeds,
                metrics, expiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with other metrics settings.
     *
     * @param newMetrics metrics settings
     * @return the new configuration
     */
    public NodeConfig withMetrics(Metrics newMetrics) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, memory, raft, seeds,
                newMetrics, expiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with other expiry settings.
     *
     * @param newExpiry expiry settings
     * @return the new configuration
     */
    public NodeConfig withExpiry(Expiry newExpiry) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, memory, raft, seeds,
                metrics, newExpiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with other seed addresses.
     *
     * @param newSeeds client addresses (host:port) of other nodes
     * @return the new configuration
     */
    public NodeConfig withSeeds(List<String> newSeeds) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, memory, raft, newSeeds,
                metrics, expiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with another rack label.
     *
     * @param newRack rack label, {@code ""} for none
     * @return the new configuration
     */
    public NodeConfig withRack(String newRack) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, memory, raft, seeds,
                metrics, expiry, newRack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with other rebalance settings.
     *
     * @param newRebalance rebalance settings
     * @return the new configuration
     */
    public NodeConfig withRebalance(Rebalance newRebalance) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, memory, raft, seeds,
                metrics, expiry, rack, newRebalance, autoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with {@code auto-join} switched on or off.
     *
     * @param newAutoJoin whether the node joins a seed's cluster by itself; true requires seeds
     * @return the new configuration
     */
    public NodeConfig withAutoJoin(boolean newAutoJoin) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, memory, raft, seeds,
                metrics, expiry, rack, rebalance, newAutoJoin, stopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with another {@code stop-hand-off}.
     *
     * @param newStopHandOff time a stopping node spends handing off its leaderships, 0s..5m
     * @return the new configuration
     */
    public NodeConfig withStopHandOff(Duration newStopHandOff) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, memory, raft, seeds,
                metrics, expiry, rack, rebalance, autoJoin, newStopHandOff, tls, auditLog, security, limits);
    }

    /**
     * Returns a copy with another {@code tls} section.
     *
     * @param newTls the TLS settings
     * @return the new configuration
     */
    public NodeConfig withTls(Tls newTls) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, memory, raft, seeds,
                metrics, expiry, rack, rebalance, autoJoin, stopHandOff, newTls, auditLog, security, limits);
    }

    /**
     * Returns a copy with another {@code security} section.
     *
     * @param newSecurity users and roles settings
     * @return the new configuration
     */
    public NodeConfig withSecurity(Security newSecurity) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, memory, raft, seeds,
                metrics, expiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, newSecurity, limits);
    }

    /**
     * Returns a copy with another {@code limits} section.
     *
     * @param newLimits the limits
     * @return the new configuration
     */
    public NodeConfig withLimits(Limits newLimits) {
        return new NodeConfig(nodeId, clusterName, listen, dataDir, raftGroups, namespaces, memory, raft, seeds,
                metrics, expiry, rack, rebalance, autoJoin, stopHandOff, tls, auditLog, security, newLimits);
    }

    /**
     * Looks up a namespace by name.
     *
     * @param name the namespace name
     * @return the namespace, or {@code null} if this node has none of that name
     */
    public NamespaceConfig namespace(String name) {
        for (NamespaceConfig ns : namespaces) {
            if (ns.name().equals(name)) {
                return ns;
            }
        }
        return null;
    }

    /**
     * Where the node listens (section {@code listen}). Ports must differ from each other unless 0.
     *
     * @param address    address the node binds (key {@code address}), a host name or IP literal; also what it
     *                   advertises to clients and peers unless {@code advertiseAddress} is set. A wildcard such as
     *                   0.0.0.0 (every interface) only with {@code advertiseAddress}, since peers must dial something
     * @param clientPort gRPC client protocol port, 0..65535, 0 = pick a free port (key {@code client-port})
     * @param raftPort   Ratis replication port, 0..65535, 0 = pick a free port (key {@code raft-port})
     * @param adminPort  admin HTTP port, 0..65535, 0 = pick a free port (key {@code admin-port})
     * @param advertiseRaftAddress host:port that peers dial to reach this node's Raft port, when it differs from
     *                   {@code address:raft-port} (a NAT, a port forward, a test's fault-injecting proxy); null =
     *                   {@code address:raft-port} (key {@code advertise-raft-address}). Requires a fixed raft-port.
     * @param advertiseAddress host name or IP address clients and peers connect to, when it differs from
     *                   {@code address} (key {@code advertise-address}): a DNS name that follows the node to a new IP
     *                   (a Kubernetes pod's), or the address behind a wildcard bind; null = {@code address}
     */
    public record Listen(String address, int clientPort, int raftPort, int adminPort, String advertiseRaftAddress,
                         String advertiseAddress) {
        /** Default {@code listen.address}. */
        public static final String DEFAULT_ADDRESS = "127.0.0.1";
        /** Default {@code listen.client-port}. */
        public static final int DEFAULT_CLIENT_PORT = 7300;
        /** Default {@code listen.raft-port}. */
        public static final int DEFAULT_RAFT_PORT = 7301;
        /** Default {@code listen.admin-port}. */
        public static final int DEFAULT_ADMIN_PORT = 7302;

        private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._:%-]{1,253}");
        private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "::0", "0:0:0:0:0:0:0:0");

        /**
         * Validates every component against the rules in the record documentation.
         *
         * @param address address to bind; also advertised unless {@code advertiseAddress} is set
         * @param clientPort client port
         * @param raftPort Raft port
         * @param adminPort admin port
         * @param advertiseRaftAddress Raft address advertised to peers, or null for {@code advertised host:raft-port}
         * @param advertiseAddress host name or IP address advertised to clients and peers, or null for
         *                         {@code address}; required when {@code address} is a wildcard
         * @throws ConfigException naming the first invalid component
         */
        public Listen {
            Check.matches("address", address, ADDRESS, "address (use a host name or IP address, e.g. 10.0.0.5)");
            if (advertiseAddress != null) {
                Check.matches("advertise-address", advertiseAddress, ADDRESS,
                        "address (use a host name or IP address others can connect to, e.g. db7.example.com)");
                if (wildcard(advertiseAddress)) {
                    throw new ConfigException(null, "advertise-address", "'" + advertiseAddress + "' is a wildcard"
                            + " address; clients and peers need an address they can connect to (use this machine's"
                            + " host name or IP address)");
                }
            } else if (wildcard(address)) {
                throw new ConfigException(null, "address", "'" + address + "' is a wildcard address, which clients"
                        + " and peers cannot connect to; keep it and set advertise-address to this machine's host"
                        + " name or IP address, or use that as the address");
            }
            Bound.PORT.check("client-port", clientPort);
            Bound.PORT.check("raft-port", raftPort);
            Bound.PORT.check("admin-port", adminPort);
            if (raftPort != 0 && raftPort == clientPort) {
                throw samePort("raft-port", raftPort, "client-port");
            }
            if (adminPort != 0 && adminPort == clientPort) {
                throw samePort("admin-port", adminPort, "client-port");
            }
            if (adminPort != 0 && adminPort == raftPort) {
                throw samePort("admin-port", adminPort, "raft-port");
            }
            if (advertiseRaftAddress != null) {
                Check.hostPort("advertise-raft-address", advertiseRaftAddress);
                String host = advertiseRaftAddress.substring(0, advertiseRaftAddress.lastIndexOf(':'));
                if (wildcard(host) || wildcard(host.replace("[", "").replace("]", ""))) {
                    throw new ConfigException(null, "advertise-raft-address", "'" + advertiseRaftAddress
                            + "' has a wildcard host; peers need an address they can connect to");
                }
                if (raftPort == 0) {
                    throw new ConfigException(null, "advertise-raft-address", "is set but raft-port is 0; whatever"
                            + " forwards the advertised address must know the port, so set a fixed raft-port");
                }
            }
        }

        /**
         * A section that advertises the address it binds: peers dial {@code address:raft-port}.
         *
         * @param address address to bind and advertise
         * @param clientPort client port
         * @param raftPort Raft port
         * @param adminPort admin port
         * @throws ConfigException naming the first invalid component
         */
        public Listen(String address, int clientPort, int raftPort, int adminPort) {
            this(address, clientPort, raftPort, adminPort, null, null);
        }

        /**
         * A section that advertises the address it binds, with peers dialling {@code advertiseRaftAddress}.
         *
         * @param address address to bind and advertise
         * @param clientPort client port
         * @param raftPort Raft port
         * @param adminPort admin port
         * @param advertiseRaftAddress Raft address advertised to peers, or null
         * @throws ConfigException naming the first invalid component
         */
        public Listen(String address, int clientPort, int raftPort, int adminPort, String advertiseRaftAddress) {
            this(address, clientPort, raftPort, adminPort, advertiseRaftAddress, null);
        }

        private static boolean wildcard(String host) {
            return WILDCARDS.contains(host);
        }

        /**
         * Returns the host:port the Ratis server binds.
         *
         * @return {@code address:raft-port}
         */
        public String raftBindAddress() {
            return address + ":" + raftPort;
        }

        /**
         * Returns the host clients and peers are told to connect to.
         *
         * @return {@code advertise-address} if set, else {@code address}
         */
        public String advertisedHost() {
            return advertiseAddress != null ? advertiseAddress : address;
        }

        /**
         * Returns the host:port peers dial to reach this node's Raft port; it is what the cluster plan records.
         *
         * @return {@code advertise-raft-address} if set, else {@link #advertisedHost()}{@code :raft-port}
         */
        public String advertisedRaftAddress() {
            return advertiseRaftAddress != null ? advertiseRaftAddress : advertisedHost() + ":" + raftPort;
        }

        private static ConfigException samePort(String key, int port, String other) {
            return new ConfigException(null, key, "'" + port + "' is already the " + other
                    + " (each port must be different, or 0 to pick a free one)");
        }

        /**
         * Returns the default section: 127.0.0.1, ports 7300 (client), 7301 (raft), 7302 (admin).
         *
         * @return the defaults
         */
        public static Listen defaults() {
            return new Listen(DEFAULT_ADDRESS, DEFAULT_CLIENT_PORT, DEFAULT_RAFT_PORT, DEFAULT_ADMIN_PORT);
        }
    }

    /**
     * One namespace (an entry of {@code namespaces}).
     *
     * @param name              namespace name, {@code [a-zA-Z0-9_-]{1,31}} (key {@code name})
     * @param replicationFactor copies of each record, 1..7 (key {@code replication-factor})
     * @param defaultTtlSeconds TTL of records written without one, in seconds, 0 = never expire, at most
     *                          3650 days (key {@code default-ttl})
     * @param maxRecordSize     largest record in bytes, 1K..128M (key {@code max-record-size})
     */
    public record NamespaceConfig(String name, int replicationFactor, long defaultTtlSeconds, long maxRecordSize) {
        /** Default {@code replication-factor}. */
        public static final int DEFAULT_REPLICATION_FACTOR = 1;
        /** Default {@code default-ttl}: never expire. */
        public static final long DEFAULT_TTL_SECONDS = 0;
        /** Default {@code max-record-size}: 1M. */
        public static final long DEFAULT_MAX_RECORD_SIZE = Sizes.M;

        // Qualified: NodeConfig.Limits (the limits section) shadows the protocol's Limits here.
        static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,"
                + io.partita.protocol.Limits.MAX_NAMESPACE_BYTES + "}");

        /**
         * Validates every component against the rules in the record documentation.
         *
         * @param name namespace name
         * @param replicationFactor replication factor
         * @param defaultTtlSeconds default TTL in seconds
         * @param maxRecordSize largest record in bytes
         * @throws ConfigException naming the first invalid component
         */
        public NamespaceConfig {
            Check.matches("name", name, NAME, "namespace name (use 1-31 characters of a-z, A-Z, 0-9, _ and -)");
            Bound.REPLICATION_FACTOR.check("replication-factor", replicationFactor);
            Bound.DEFAULT_TTL.check("default-ttl", defaultTtlSeconds);
            Bound.MAX_RECORD_SIZE.check("max-record-size", maxRecordSize);
        }

        /**
         * Returns a namespace with the default settings: replication factor 1, no expiry, 1M records.
         *
         * @param name the namespace name
         * @return the namespace
         */
        public static NamespaceConfig defaults(String name) {
            return new NamespaceConfig(name, DEFAULT_REPLICATION_FACTOR, DEFAULT_TTL_SECONDS, DEFAULT_MAX_RECORD_SIZE);
        }
    }

    /**
     * RocksDB memory budgets shared by all Raft groups of the node (section {@code memory}).
     *
     * @param writeBufferSize total memtable budget in bytes, 8M..64G (key {@code write-buffer})
     * @param blockCacheSize  block cache size in bytes, 8M..64G (key {@code block-cache})
     */
    public record Memory(long writeBufferSize, long blockCacheSize) {
        /** Default {@code memory.write-buffer}: 256M. */
        public static final long DEFAULT_WRITE_BUFFER = 256 * Sizes.M;
        /** Default {@code memory.block-cache}: 256M. */
        public static final long DEFAULT_BLOCK_CACHE = 256 * Sizes.M;

        /**
         * Validates every component against the rules in the record documentation.
         *
         * @param writeBufferSize memtable budget in bytes
         * @param blockCacheSize block cache size in bytes
         * @throws ConfigException naming the first invalid component
         */
        public Memory {
            Bound.WRITE_BUFFER.check("write-buffer", writeBufferSize);
            Bound.BLOCK_CACHE.check("block-cache", blockCacheSize);
        }

        /**
         * Returns the defaults: 256M write buffer, 256M block cache.
         *
         * @return the defaults
         */
        public static Memory defaults() {
            return new Memory(DEFAULT_WRITE_BUFFER, DEFAULT_BLOCK_CACHE);
        }
    }

    /**
     * Raft tuning (section {@code raft}).
     *
     * @param electionTimeoutMin lower bound of the randomised election timeout, 100ms..60s, whole milliseconds,
     *                           less than the maximum (key {@code election-timeout-min})
     * @param electionTimeoutMax upper bound of the randomised election timeout, 100ms..60s
     *                           (key {@code election-timeout-max})
     * @param logSync            fsync the Raft log before acknowledging; {@code false} trades durability for
     *                           latency and can lose acknowledged writes (key {@code log-sync})
     * @param segmentSize        Raft log segment size in bytes, 1M..1G (key {@code segment-size})
     * @param batchMaxCommands   client writes per Raft log entry at most, 1..65536 (key {@code batch-max-commands})
     * @param batchMaxBytes      bytes per log entry before compression at most, 4K..64M and not more than
     *                           {@code segmentSize} (key {@code batch-max-bytes})
     * @param snapshotEveryEntries a group snapshots and purges its log after this many entries, 100..10^9
     *                           (key {@code snapshot-every-entries})
     * @param snapshotTransferMbPerS MiB per second this node sends snapshots to lagging followers at most, all
     *                           groups together, 1..10000 (key {@code snapshot-transfer-mb-per-s})
     */
    public record RaftTuning(Duration electionTimeoutMin, Duration electionTimeoutMax, boolean logSync,
                             long segmentSize, int batchMaxCommands, long batchMaxBytes, long snapshotEveryEntries,
                             int snapshotTransferMbPerS) {
        /** Default {@code raft.election-timeout-min}: 1s. */
        public static final Duration DEFAULT_ELECTION_TIMEOUT_MIN = Duration.ofSeconds(1);
        /** Default {@code raft.election-timeout-max}: 2s. */
        public static final Duration DEFAULT_ELECTION_TIMEOUT_MAX = Duration.ofSeconds(2);
        /** Default {@code raft.log-sync}: durable. */
        public static final boolean DEFAULT_LOG_SYNC = true;
        /** Default {@code raft.segment-size}: 8M. */
        public static final long DEFAULT_SEGMENT_SIZE = 8 * Sizes.M;
        /** Default {@code raft.batch-max-commands}. */
        public static final int DEFAULT_BATCH_MAX_COMMANDS = 256;
        /** Default {@code raft.batch-max-bytes}: 1M. */
        public static final long DEFAULT_BATCH_MAX_BYTES = Sizes.M;
        /**
         * Default {@code raft.snapshot-every-entries}: bounds a group's log to this many entries (tens of MB at
         * typical entry sizes) and its restart replay likewise, while a snapshot, which rewrites the whole group,
         * stays rare next to the writes it covers.
         */
        public static final long DEFAULT_SNAPSHOT_EVERY_ENTRIES = 100_000;
        /** Default {@code raft.snapshot-transfer-mb-per-s}: 32 MiB/s, a fraction of a disk or a 1 Gb/s link. */
        public static final int DEFAULT_SNAPSHOT_TRANSFER_MB_PER_S = 32;

        /**
         * Validates every component against the rules in the record documentation.
         *
         * @param electionTimeoutMin election timeout lower bound
         * @param electionTimeoutMax election timeout upper bound
         * @param logSync fsync before acknowledging
         * @param segmentSize log segment size in bytes
         * @param batchMaxCommands commands per log entry at most
         * @param batchMaxBytes bytes per log entry at most
         * @param snapshotEveryEntries log entries between snapshots
         * @param snapshotTransferMbPerS snapshot send rate in MiB/s
         * @throws ConfigException naming the first invalid component
         */
        public RaftTuning {
            Bound.ELECTION_TIMEOUT.check("election-timeout-min", Check.required("election-timeout-min", electionTimeoutMin));
            Bound.ELECTION_TIMEOUT.check("election-timeout-max", Check.required("election-timeout-max", electionTimeoutMax));
            if (electionTimeoutMin.compareTo(electionTimeoutMax) >= 0) {
                throw new ConfigException(null, "election-timeout-min", "'" + Durations.format(electionTimeoutMin)
                        + "' must be less than election-timeout-max ('" + Durations.format(electionTimeoutMax)
                        + "'); leaders are elected reliably when the range is wide, e.g. 1s..2s");
            }
            Bound.SEGMENT_SIZE.check("segment-size", segmentSize);
            Bound.BATCH_MAX_COMMANDS.check("batch-max-commands", batchMaxCommands);
            Bound.BATCH_MAX_BYTES.check("batch-max-bytes", batchMaxBytes);
            if (batchMaxBytes > segmentSize) {
                throw new ConfigException(null, "batch-max-bytes", "'" + Sizes.format(batchMaxBytes)
                        + "' is larger than segment-size ('" + Sizes.format(segmentSize)
                        + "'); a log entry must fit in one segment (raise segment-size or lower batch-max-bytes)");
            }
            Bound.SNAPSHOT_EVERY_ENTRIES.check("snapshot-every-entries", snapshotEveryEntries);
            Bound.SNAPSHOT_TRANSFER_MB_PER_S.check("snapshot-transfer-mb-per-s", snapshotTransferMbPerS);
        }

        /**
         * Tuning with the default snapshot settings.
         *
         * @param electionTimeoutMin election timeout lower bound
         * @param electionTimeoutMax election timeout upper bound
         * @param logSync fsync before acknowledging
         * @param segmentSize log segment size in bytes
         * @param batchMaxCommands commands per log entry at most
         * @param batchMaxBytes bytes per log entry at most
         * @throws ConfigException naming the first invalid component
         */
        public RaftTuning(Duration electionTimeoutMin, Duration electionTimeoutMax, boolean logSync, long segmentSize,
                          int batchMaxCommands, long batchMaxBytes) {
            this(electionTimeoutMin, electionTimeoutMax, logSync, segmentSize, batchMaxCommands, batchMaxBytes,
                    DEFAULT_SNAPSHOT_EVERY_ENTRIES, DEFAULT_SNAPSHOT_TRANSFER_MB_PER_S);
        }

        /**
         * Returns the defaults: election timeout 1s..2s, log sync on, 8M segments, batches of at most 256
         * commands and 1M.
         *
         * @return the defaults
         */
        public static RaftTuning defaults() {
            return new RaftTuning(DEFAULT_ELECTION_TIMEOUT_MIN, DEFAULT_ELECTION_TIMEOUT_MAX, DEFAULT_LOG_SYNC,
                    DEFAULT_SEGMENT_SIZE, DEFAULT_BATCH_MAX_COMMANDS, DEFAULT_BATCH_MAX_BYTES);
        }

        /**
         * Returns a copy with other election timeouts (tests use short ones).
         *
         * @param min lower bound, less than {@code max}
         * @param max upper bound
         * @return the new tuning
         */
        public RaftTuning withElectionTimeouts(Duration min, Duration max) {
            return new RaftTuning(min, max, logSync, segmentSize, batchMaxCommands, batchMaxBytes,
                    snapshotEveryEntries, snapshotTransferMbPerS);
        }

        /**
         * Returns a copy with log sync switched on or off.
         *
         * @param sync whether to fsync the Raft log before acknowledging
         * @return the new tuning
         */
        public RaftTuning withLogSync(boolean sync) {
            return new RaftTuning(electionTimeoutMin, electionTimeoutMax, sync, segmentSize, batchMaxCommands,
                    batchMaxBytes, snapshotEveryEntries, snapshotTransferMbPerS);
        }

        /**
         * Returns a copy with other snapshot settings (tests snapshot often).
         *
         * @param everyEntries log entries between snapshots
         * @param transferMbPerS snapshot send rate in MiB/s
         * @return the new tuning
         */
        public RaftTuning withSnapshots(long everyEntries, int transferMbPerS) {
            return new RaftTuning(electionTimeoutMin, electionTimeoutMax, logSync, segmentSize, batchMaxCommands,
                    batchMaxBytes, everyEntries, transferMbPerS);
        }

        /**
         * Returns a copy with another log segment size.
         *
         * @param size segment size in bytes
         * @return the new tuning
         */
        public RaftTuning withSegmentSize(long size) {
            return new RaftTuning(electionTimeoutMin, electionTimeoutMax, logSync, size, batchMaxCommands,
                    Math.min(batchMaxBytes, size), snapshotEveryEntries, snapshotTransferMbPerS);
        }
    }

    /**
     * Metrics and request logging (section {@code metrics}).
     *
     * @param slowRequestThreshold client requests taking at least this long are logged at WARN with their stage
     *                             timings; {@code 0s} turns the log off, at most 1h (key
     *                             {@code slow-request-threshold})
     */
    public record Metrics(Duration slowRequestThreshold) {
        /** Default {@code slow-request-threshold}: 500 ms. */
        public static final Duration DEFAULT_SLOW_REQUEST_THRESHOLD = Duration.ofMillis(500);

        /**
         * Validates the threshold.
         *
         * @param slowRequestThreshold slow-request threshold, 0..1h
         */
        public Metrics {
            Check.required("slow-request-threshold", slowRequestThreshold);
            Bound.SLOW_REQUEST_THRESHOLD.check("slow-request-threshold", slowRequestThreshold);
        }

        /**
         * Returns the default settings: slow requests logged from 500 ms.
         *
         * @return the defaults
         */
        public static Metrics defaults() {
            return new Metrics(DEFAULT_SLOW_REQUEST_THRESHOLD);
        }
    }

    /**
     * Removal of expired records (section {@code expiry}). Reads never return an expired record; these settings
     * decide when its space is freed: every {@code period}, the node sweeps each data group it leads and removes the
     * expired records it finds with replicated deletes, at most {@code max-deletes-per-second} of them per second.
     *
     * @param period               time between sweeps, 0s = never remove (key {@code period})
     * @param maxDeletesPerSecond  removals per second at most, this node's groups together (key
     *                             {@code max-deletes-per-second})
     */
    public record Expiry(Duration period, int maxDeletesPerSecond) {
        /** Default {@code period}: 2 minutes (Aerospike's default nsup-period). */
        public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(2);
        /** Default {@code max-deletes-per-second}: 5,000. */
        public static final int DEFAULT_MAX_DELETES_PER_SECOND = 5_000;

        /**
         * Validates the settings.
         *
         * @param period              time between sweeps, 0s..1d
         * @param maxDeletesPerSecond 1..1,000,000
         */
        public Expiry {
            Check.required("period", period);
            Bound.EXPIRY_PERIOD.check("period", period);
            Bound.EXPIRY_DELETES_PER_SECOND.check("max-deletes-per-second", maxDeletesPerSecond);
        }

        /**
         * Returns the default settings: a sweep every 2 minutes, at most 5,000 removals per second.
         *
         * @return the defaults
         */
        public static Expiry defaults() {
            return new Expiry(DEFAULT_PERIOD, DEFAULT_MAX_DELETES_PER_SECOND);
        }
    }

    /**
     * Replica moves (section {@code rebalance}): when nodes are added to the cluster or decommissioned, replicas of
     * groups move onto the added nodes and off the leaving ones. Each move copies one group's data to its new replica
     * (a snapshot transfer, throttled by {@code raft.snapshot-transfer-mb-per-s}).
     *
     * @param maxConcurrentMoves replica moves running at once, 1..64 (key {@code max-concurrent-moves})
     * @param moveTimeout        how long one move may take to copy its group before it is tried again, 10s..7d
     *                           (key {@code move-timeout})
     */
    public record Rebalance(int maxConcurrentMoves, Duration moveTimeout) {
        /** Default {@code max-concurrent-moves}: 2. */
        public static final int DEFAULT_MAX_CONCURRENT_MOVES = 2;
        /** Default {@code move-timeout}: 30 minutes. */
        public static final Duration DEFAULT_MOVE_TIMEOUT = Duration.ofMinutes(30);

        /**
         * Validates the settings.
         *
         * @param maxConcurrentMoves moves at once, 1..64
         * @param moveTimeout        time one move may take, 10s..7d
         * @throws ConfigException naming the first invalid component
         */
        public Rebalance {
            Bound.REBALANCE_MAX_CONCURRENT_MOVES.check("max-concurrent-moves", maxConcurrentMoves);
            Check.required("move-timeout", moveTimeout);
            Bound.REBALANCE_MOVE_TIMEOUT.check("move-timeout", moveTimeout);
        }

        /**
         * Returns the default settings: 2 moves at once, 30 minutes per move.
         *
         * @return the defaults
         */
        public static Rebalance defaults() {
            return new Rebalance(DEFAULT_MAX_CONCURRENT_MOVES, DEFAULT_MOVE_TIMEOUT);
        }
    }

    /**
     * The group count of a cluster this node creates with {@code nodeCount} nodes: {@code raft-groups} if set, else
     * {@link io.partita.raft.cluster.Placement#autoGroupCount}.
     */
    public int raftGroupsFor(int nodeCount) {
        return raftGroupsFor(raftGroups, nodeCount);
    }

    /** As {@link #raftGroupsFor(int)} for a configured value ({@link #RAFT_GROUPS_AUTO} or a count). */
    public static int raftGroupsFor(int configured, int nodeCount) {
        return configured == RAFT_GROUPS_AUTO ? io.partita.raft.cluster.Placement.autoGroupCount(nodeCount) : configured;
    }

    /** {@code raft-groups} as written in a config file: a number, or {@code auto}. */
    public String raftGroupsText() {
        return raftGroupsText(raftGroups);
    }

    /** A configured {@code raft-groups} value as text: a number, or {@code auto}. */
    public static String raftGroupsText(int configured) {
        return configured == RAFT_GROUPS_AUTO ? RAFT_GROUPS_AUTO_TEXT : Integer.toString(configured);
    }

    /**
     * Users, roles and sessions (section {@code security}). Off by default; with it on, every call but a login
     * needs a session token (or a node certificate), and each operation needs a role that allows it
     * (docs/security.md). The first node to run the cluster with it on creates user {@code admin} with every
     * administrative role and writes its password to {@link NodeConfig#initialAdminPasswordFile()}.
     *
     * @param enabled    whether users and roles are enforced (key {@code enabled}); requires {@code tls.enabled}, and
     *                   every node of a cluster must agree
     * @param sessionTtl how long a login's session token is valid, 1m..7d (key {@code session-ttl}); clients renew
     *                   theirs at half of it
     */
    public record Security(boolean enabled, Duration sessionTtl) {
        /** Default {@code session-ttl}: one day, as Aerospike's {@code session-ttl}. */
        public static final Duration DEFAULT_SESSION_TTL = Duration.ofDays(1);

        /**
         * Validates the session lifetime.
         *
         * @param enabled    users and roles on or off
         * @param sessionTtl session token lifetime
         */
        public Security {
            Bound.SESSION_TTL.check("session-ttl", Check.required("session-ttl", sessionTtl));
        }

        /**
         * Returns security switched off, the default.
         *
         * @return the defaults
         */
        public static Security disabled() {
            return new Security(false, DEFAULT_SESSION_TTL);
        }

        /**
         * Returns security on with the default session lifetime.
         *
         * @return the settings
         */
        public static Security enabledWithDefaults() {
            return new Security(true, DEFAULT_SESSION_TTL);
        }
    }

    /**
     * TLS on every port of the node (section {@code tls}): the client gRPC port (which also carries the admin and
     * snapshot-transfer services), the Raft port and the admin HTTP port. Off by default.
     *
     * <p>The node presents {@code cert-file} on every port. Peers (Raft and node-to-node calls) use mutual TLS: each
     * side's certificate must come from a CA in {@code ca-file}. Clients verify the node's certificate against their
     * CA file and the host they dialed, so it must name (as a subject alternative name) every address clients and
     * peers use: {@code listen.advertise-address} or {@code listen.address}. The files are read at start-up (a bad
     * or expired file stops the start with a message naming it) and again whenever they change.
     *
     * @param enabled    whether the node's ports speak TLS (key {@code enabled}); every node of a cluster must agree
     * @param certFile   PEM certificate chain of the node, its own certificate first (key {@code cert-file}); required
     *                   when enabled
     * @param keyFile    its unencrypted PKCS#8 PEM private key (key {@code key-file}); required when enabled
     * @param caFile     PEM certificates of the CAs that issue node and client certificates (key {@code ca-file});
     *                   required when enabled
     * @param clientAuth whether clients of the client port must present a certificate from {@code ca-file} (key
     *                   {@code client-auth}); requires enabled
     */
    public record Tls(boolean enabled, Path certFile, Path keyFile, Path caFile, boolean clientAuth) {
        /**
         * Validates the combination: the three files when enabled, nothing else without it.
         *
         * @param enabled    TLS on or off
         * @param certFile   certificate chain file, null when disabled
         * @param keyFile    private key file, null when disabled
         * @param caFile     CA certificates file, null when disabled
         * @param clientAuth client certificates required
         */
        public Tls {
            if (enabled) {
                for (Map.Entry<String, Path> f : files(certFile, keyFile, caFile).entrySet()) {
                    if (f.getValue() == null || f.getValue().toString().isEmpty()) {
                        throw new ConfigException(null, f.getKey(), "is required when enabled is true (a PEM "
                                + "file; 'partita tls' makes them)");
                    }
                }
            } else if (clientAuth) {
                throw new ConfigException(null, "client-auth", "is true but enabled is false (client "
                        + "certificates are checked only over TLS: enable it, or set client-auth: false)");
            }
        }

        private static Map<String, Path> files(Path certFile, Path keyFile, Path caFile) {
            Map<String, Path> m = new java.util.LinkedHashMap<>();
            m.put("cert-file", certFile);
            m.put("key-file", keyFile);
            m.put("ca-file", caFile);
            return m;
        }

        /**
         * Returns TLS switched off, the default.
         *
         * @return the defaults
         */
        public static Tls disabled() {
            return new Tls(false, null, null, null, false);
        }

        /**
         * Returns TLS on with the given files, client certificates not required.
         *
         * @param certFile certificate chain file
         * @param keyFile  private key file
         * @param caFile   CA certificates file
         * @return the settings
         */
        public static Tls enabled(Path certFile, Path keyFile, Path caFile) {
            return new Tls(true, certFile, keyFile, caFile, false);
        }

        /**
         * The node's files as protocol-level settings: trust {@code ca-file}, present {@code cert-file}.
         *
         * @return the settings
         * @throws IllegalStateException when TLS is disabled
         */
        public io.partita.protocol.tls.TlsSettings settings() {
            if (!enabled) {
                throw new IllegalStateException("TLS is disabled");
            }
            return io.partita.protocol.tls.TlsSettings.trusting(caFile).withIdentity(certFile, keyFile);
        }
    }

    /**
     * What one node serves at once (section {@code limits}), so that one client cannot take every connection, call
     * or stream slot of a node. A request beyond a limit is refused at once with gRPC {@code RESOURCE_EXHAUSTED}
     * naming the key to raise; it never waits. The defaults are far above what the client libraries, the benchmarks
     * (64 threads) and the nodes' own peer connections use.
     *
     * @param maxConnectionsPerClient   client-port connections one client IP address may hold, 1..100,000 (key
     *                                  {@code max-connections-per-client}); calls on connections beyond it are refused
     * @param maxCallsPerConnection     calls (a stream counts as one) in flight on one connection, 1..100,000 (key
     *                                  {@code max-calls-per-connection})
     * @param maxConcurrentExports      backup export streams ({@code ExportGroup}) running at once on the node,
     *                                  1..1,024 (key {@code max-concurrent-exports})
     * @param maxConcurrentSnapshotFetches snapshot fetches ({@code FetchSnapshot}) the node serves at once, 1..1,024
     *                                  (key {@code max-concurrent-snapshot-fetches})
     */
    public record Limits(int maxConnectionsPerClient, int maxCallsPerConnection, int maxConcurrentExports,
                         int maxConcurrentSnapshotFetches) {
        /** Default {@code max-connections-per-client}: 1,024 (every test client and node shares 127.0.0.1). */
        public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 1_024;
        /** Default {@code max-calls-per-connection}: 4,096. */
        public static final int DEFAULT_MAX_CALLS_PER_CONNECTION = 4_096;
        /** Default {@code max-concurrent-exports}: 16. */
        public static final int DEFAULT_MAX_CONCURRENT_EXPORTS = 16;
        /** Default {@code max-concurrent-snapshot-fetches}: 16. */
        public static final int DEFAULT_MAX_CONCURRENT_SNAPSHOT_FETCHES = 16;

        /**
         * Validates the limits.
         *
         * @param maxConnectionsPerClient 1..100,000
         * @param maxCallsPerConnection 1..100,000
         * @param maxConcurrentExports 1..1,024
         * @param maxConcurrentSnapshotFetches 1..1,024
         * @throws ConfigException naming the first invalid component
         */
        public Limits {
            Bound.MAX_CONNECTIONS_PER_CLIENT.check("max-connections-per-client", maxConnectionsPerClient);
            Bound.MAX_CALLS_PER_CONNECTION.check("max-calls-per-connection", maxCallsPerConnection);
            Bound.MAX_CONCURRENT_STREAMS.check("max-concurrent-exports", maxConcurrentExports);
            Bound.MAX_CONCURRENT_STREAMS.check("max-concurrent-snapshot-fetches", maxConcurrentSnapshotFetches);
        }

        /**
         * Returns the defaults: 1,024 connections per client, 4,096 calls per connection, 16 exports and 16
         * snapshot fetches at once.
         *
         * @return the defaults
         */
        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_CONNECTIONS_PER_CLIENT, DEFAULT_MAX_CALLS_PER_CONNECTION,
                    DEFAULT_MAX_CONCURRENT_EXPORTS, DEFAULT_MAX_CONCURRENT_SNAPSHOT_FETCHES);
        }
    }
}
