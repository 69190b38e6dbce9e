package io.partita.raft.group;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.ratis.thirdparty.io.grpc.EquivalentAddressGroup;
import org.apache.ratis.thirdparty.io.grpc.NameResolver;
import org.apache.ratis.thirdparty.io.grpc.NameResolverProvider;
import org.apache.ratis.thirdparty.io.grpc.NameResolverRegistry;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each node's Raft listener is now, by node id: a node is its id and its data, not its address.
 *
 * <p>Usage: {@code RaftPeer.newBuilder().setAddress(PeerAddresses.target(clusterId, nodeId))}, and
 * {@link #learn(String, long, Collection)} every cluster plan the node adopts. Ratis persists its peers' addresses in
 * every group's configuration and never changes the address of a peer it knows within a process (its proxy map is
 * keyed by peer id), so Partita gives Ratis a name that never changes, {@code partita://CLUSTER/NODE}, and resolves
 * it here through a gRPC name resolver (Ratis dials with {@code NettyChannelBuilder.forTarget}): the host:port the
 * newest plan records for the node, its host looked up again (DNS, {@code /etc/hosts}) whenever gRPC asks, which it
 * does when a connection fails. A node restarted at a new address is found as soon as the plan records it (TiKV
 * resolves store ids to addresses through PD the same way).
 *
 * <p>Groups whose configuration was written with plain host:port addresses (clusters created before this scheme)
 * keep dialling those; their peers are renamed the next time their configuration changes.
 */
public final class PeerAddresses {
    private static final Logger LOG = LoggerFactory.getLogger(PeerAddresses.class);
    /** URI scheme of the names Partita gives Ratis peers. */
    public static final String SCHEME = "partita";

    /** Per cluster: the newest plan version learned and the addresses it gave; one JVM may run several nodes. */
    private static final Map<String, Directory> CLUSTERS = new ConcurrentHashMap<>();
    /** Host lookups may block (DNS); never on gRPC's synchronization context. */
    private static final ExecutorService LOOKUPS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "partita-peer-lookup");
        t.setDaemon(true);
        return t;
    });

    static {
        NameResolverRegistry.getDefaultRegistry().register(new Provider());
    }

    private PeerAddresses() {
    }

    /**
     * Records where this process's own node runs, unless a plan said where already (called as the Ratis server
     * starts; a Ratis client on this node may dial its own node, e.g. a proposal to a group of one). Loading this
     * class registers the name resolver, before Ratis dials any peer of a stored configuration.
     */
    static void learnSelf(String clusterId, NodeAddress self) {
        CLUSTERS.computeIfAbsent(clusterId, k -> new Directory()).addresses
                .putIfAbsent(self.nodeId(), self.raftAddress());
    }

    /** The name Ratis knows {@code nodeId} of {@code clusterId} by. */
    public static String target(String clusterId, String nodeId) {
        return SCHEME + "://" + clusterId + "/" + nodeId;
    }

    /**
     * Records the Raft addresses (host:port) a plan gives its nodes, unless a newer plan of the same cluster was
     * learned already; nodes the plan no longer lists keep their last address (a move may still be talking to them).
     * Connections waiting for an address, or using one that changed, are told at once.
     */
    public static void learn(String clusterId, long planVersion, Collection<NodeAddress> nodes) {
        record(clusterId, planVersion, nodes, false);
    }

    /**
     * Records addresses for nodes this process knows no address of, leaving every known one and the plan version
     * as they are: for a plan that is not in force yet (read back from the metadata group before it is adopted), a
     * node id never heard of cannot redirect any existing connection.
     */
    public static void learnUnknown(String clusterId, Collection<NodeAddress> nodes) {
        record(clusterId, Long.MIN_VALUE, nodes, true);
    }

    private static void record(String clusterId, long planVersion, Collection<NodeAddress> nodes, boolean onlyNew) {
        Directory d = CLUSTERS.computeIfAbsent(clusterId, k -> new Directory());
        List<Resolver> changed = new ArrayList<>();
        synchronized (d) {
            if (!onlyNew) {
                if (planVersion < d.version) {
                    return;
                }
                d.version = planVersion;
            }
            for (NodeAddress n : nodes) {
                if (onlyNew && d.addresses.containsKey(n.nodeId())) {
                    continue;
                }
                String before = d.addresses.put(n.nodeId(), n.raftAddress());
                if (!n.raftAddress().equals(before)) {
                    if (before != null) {
                        LOG.info("Node {} of cluster {} is now at {} (was {})", n.nodeId(), clusterId,
                                n.raftAddress(), before);
                    }
                    d.watchers.stream().filter(r -> r.nodeId.equals(n.nodeId())).forEach(changed::add);
                }
            }
        }
        changed.forEach(Resolver::refresh);
    }

    /** The Raft address (host:port) last learned for a node, or null. */
    static String lookup(String clusterId, String nodeId) {
        Directory d = CLUSTERS.get(clusterId);
        if (d == null) {
            return null;
        }
        synchronized (d) {
            return d.addresses.get(nodeId);
        }
    }

    private static final class Directory {
        long version = Long.MIN_VALUE;
        final Map<String, String> addresses = new ConcurrentHashMap<>();
        final Set<Resolver> watchers = ConcurrentHashMap.newKeySet();
    }

    private static final class Provider extends NameResolverProvider {
        @Override
        protected boolean isAvailable() {
            return true;
        }

        @Override
        protected int priority() {
            return 5;
        }

        @Override
        public String getDefaultScheme() {
            return SCHEME;
        }

        @Override
        public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
            return List.of(InetSocketAddress.class);
        }

        @Override
        public NameResolver newNameResolver(URI target, NameResolver.Args args) {
            if (!SCHEME.equals(target.getScheme())) {
                return null;
            }
            String path = target.getPath();
            if (target.getAuthority() == null || path == null || path.length() < 2) {
                throw new IllegalArgumentException("a Partita peer name is partita://CLUSTER/NODE, not " + target);
            }
            Executor offload = args.getOffloadExecutor() != null ? args.getOffloadExecutor() : LOOKUPS;
            return new Resolver(target.getAuthority(), path.substring(1), args, offload);
        }
    }

    /** Resolves one peer name; gRPC calls {@link #refresh()} when the connection to the address it gave fails. */
    private static final class Resolver extends NameResolver {
        private final String clusterId;
        private final String nodeId;
        private final NameResolver.Args args;
        private final Executor offload;
        private volatile Listener2 listener;

        Resolver(String clusterId, String nodeId, NameResolver.Args args, Executor offload) {
            this.clusterId = clusterId;
            this.nodeId = nodeId;
            this.args = args;
            this.offload = offload;
        }

        @Override
        public String getServiceAuthority() {
            return nodeId + "." + clusterId;
        }

        @Override
        public void start(Listener2 l) {
            listener = l;
            CLUSTERS.computeIfAbsent(clusterId, k -> new Directory()).watchers.add(this);
            refresh();
        }

        @Override
        public void refresh() {
            Listener2 l = listener;
            if (l == null) {
                return;
            }
            offload.execute(() -> resolve(l));
        }

        private void resolve(Listener2 l) {
            String hostPort = lookup(clusterId, nodeId);
            if (hostPort == null) {
                l.onError(Status.UNAVAILABLE.withDescription("no Raft address known yet for node " + nodeId
                        + " of cluster " + clusterId));
                return;
            }
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            try {
                List<SocketAddress> addresses = new ArrayList<>();
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    addresses.add(new InetSocketAddress(a, port));
                }
                ResolutionResult result = ResolutionResult.newBuilder()
                        .setAddresses(List.of(new EquivalentAddressGroup(addresses))).build();
                args.getSynchronizationContext().execute(() -> {
                    if (listener == l) {
                        l.onResult(result);
                    }
                });
            } catch (UnknownHostException e) {
                l.onError(Status.UNAVAILABLE.withDescription("cannot resolve " + host + ", the address of node "
                        + nodeId + " (" + e.getMessage() + ")"));
            }
        }

        @Override
        public void shutdown() {
            listener = null;
            Directory d = CLUSTERS.get(clusterId);
            if (d != null) {
                d.watchers.remove(this);
            }
        }
    }
}
