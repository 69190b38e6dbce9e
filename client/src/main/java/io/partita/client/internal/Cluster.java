package io.partita.client.internal;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.tls.TlsErrors;
import io.partita.protocol.v1.ClusterMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's view of the cluster: the routing table merged from the cluster maps the nodes answer (each node
 * knows the leaders of the groups it replicates), a pool of channels per node address, and map refreshes that ask
 * every known node at once (coalesced and rate-limited, plus a periodic tend).
 */
public final class Cluster implements AutoCloseable {

    /** Refreshes start at most this often, however many callers ask. */
    static final long MIN_REFRESH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    // Above the largest max-record-size a namespace may set (128M), so any stored record can be read back.
    private static final int MAX_INBOUND_MESSAGE_BYTES = 256 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    private final List<String> seeds;
    private final long connectTimeoutMs;
    private final ScheduledExecutorService scheduler;
    private final int connectionsPerNode;
    private final ChannelFactory channelFactory;
    private final ClientInterceptor interceptor;
    private final Map<String, ChannelPool> channels = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final MapFetcher fetcher;

    private volatile RoutingTable table;
    private volatile boolean closed;
    private CompletableFuture<Void> pendingRefresh; // guarded by lock
    private long lastRefreshStartNanos; // guarded by lock
    private ScheduledFuture<?> tendTask;

    /**
     * A cluster view with no map yet; call {@link #connect()}.
     *
     * @param seeds              seed addresses, host:port
     * @param connectTimeoutMs   timeout of connection set-up and of each map fetch
     * @param connectionsPerNode channels (connections) per node address, used in turn
     * @param channelFactory     plaintext or TLS channels
     * @param scheduler          runs refreshes and the tend
     */
    public Cluster(List<String> seeds, long connectTimeoutMs, int connectionsPerNode, ChannelFactory channelFactory,
                   ScheduledExecutorService scheduler) {
        this(seeds, connectTimeoutMs, connectionsPerNode, channelFactory, scheduler, null);
    }

    /**
     * As the other constructor, with an interceptor on every channel (a user's {@link Session}), or null.
     */
    public Cluster(List<String> seeds, long connectTimeoutMs, int connectionsPerNode, ChannelFactory channelFactory,
                   ScheduledExecutorService scheduler, ClientInterceptor interceptor) {
        this.interceptor = interceptor;
        this.channelFactory = channelFactory;
        this.seeds = List.copyOf(seeds);
        this.connectTimeoutMs = connectTimeoutMs;
        this.connectionsPerNode = connectionsPerNode;
        this.scheduler = scheduler;
        this.lastRefreshStartNanos = System.nanoTime() - MIN_REFRESH_INTERVAL_NANOS;
        this.fetcher = new MapFetcher(this::channel, connectTimeoutMs, scheduler);
    }

    /**
     * Fetches the first map from the seeds, in order, then merges the other nodes' maps in the background. Fails
     * with a {@link MapUnavailableException} listing what each seed answered.
     */
    public CompletableFuture<Void> connect() {
        return fetcher.fetchFirst(seeds).thenAccept(answer -> {
            apply(answer.map());
            List<String> others = knownAddresses();
            others.remove(answer.address());
            fetcher.fetchAll(others, this::apply); // not a refresh: callers never wait for it
        });
    }

    /** Refreshes the map every {@code intervalMs} in the background. */
    public void startTending(long intervalMs) {
        tendTask = scheduler.scheduleWithFixedDelay(this::requestRefresh, intervalMs, intervalMs,
            TimeUnit.MILLISECONDS);
    }

    /** The newest routing table (never null after a successful {@link #connect()}). */
    public RoutingTable table() {
        return table;
    }

    /**
     * Asks for a map refresh from every known node (the map's and the seeds) at once, merging every answer.
     * Concurrent callers share one refresh, and refreshes start at most every 50 ms. The future completes
     * (normally, whatever the outcome) when every node answered or failed, or
     * {@value MapFetcher#ANSWER_GRACE_MS} ms after the first answer; later answers are merged when they arrive.
     */
    public CompletableFuture<Void> requestRefresh() {
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            if (pendingRefresh != null) {
                return pendingRefresh;
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            pendingRefresh = done;
            long delay = lastRefreshStartNanos + MIN_REFRESH_INTERVAL_NANOS - System.nanoTime();
            try {
                scheduler.schedule(() -> runRefresh(done), Math.max(0, delay), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                pendingRefresh = null;
                done.complete(null);
            }
            return done;
        }
    }

    private void runRefresh(CompletableFuture<Void> done) {
        synchronized (lock) {
            lastRefreshStartNanos = System.nanoTime();
        }
        RoutingTable t = table;
        fetcher.fetchAll(knownAddresses(), this::apply).whenComplete((round, err) -> {
            if (round.maps() == 0 && !round.problems().isEmpty() && !closed) {
                LOG.warn("Cluster map refresh failed; keeping version {}: {}", t == null ? "none" : t.version(),
                    String.join("; ", round.problems()));
            }
            synchronized (lock) {
                pendingRefresh = null;
            }
            done.complete(null);
        });
    }

    /** Client addresses of the table's nodes, then the seeds, without repeats. */
    public List<String> knownAddresses() {
        Set<String> all = new LinkedHashSet<>();
        RoutingTable t = table;
        if (t != null) {
            all.addAll(t.addresses());
        }
        all.addAll(seeds);
        return new ArrayList<>(all);
    }

    /** Merges a map a node answered into the table; see {@link RoutingTable#merge(ClusterMap)}. */
    private void apply(ClusterMap map) {
        synchronized (lock) {
            RoutingTable current = table;
            RoutingTable merged = current == null ? RoutingTable.of(map) : current.merge(map);
            if (merged != current) {
                table = merged;
                if (current == null || merged.version() != current.version()) {
                    LOG.debug("Cluster map version {} -> {}", current == null ? "none" : current.version(),
                        merged.version());
                }
            }
        }
    }

    /**
     * Notes the topology version a node said it works with; if it is newer than the table's, asks for a refresh
     * (without waiting for it).
     */
    public void noteMapVersion(long version) {
        RoutingTable t = table;
        if (t != null && version > t.version()) {
            LOG.debug("A node works with cluster map version {}, the client with {}: refreshing", version,
                t.version());
            requestRefresh();
        }
    }

    /**
     * Records that a node named {@code nodeId} as the leader of {@code group} (a NOT_LEADER hint). The next map
     * sighting of the group in the same or a higher term replaces it.
     */
    public void noteLeader(int group, String nodeId) {
        synchronized (lock) {
            if (table != null) {
                table = table.withLeader(group, nodeId);
            }
        }
    }

    static String describe(Throwable t) {
        String tls = TlsErrors.describe(t);
        if (tls != null) {
            return "TLS: " + tls;
        }
        if (t instanceof io.grpc.StatusRuntimeException || t instanceof io.grpc.StatusException) {
            Status s = Status.fromThrowable(t);
            String d = s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
            Throwable c = s.getCause();
            return c == null || c.getMessage() == null || d.contains(c.getMessage()) ? d : d + " (" + c.getMessage()
                + ")";
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /**
     * A channel to an address: the next of its {@code connectionsPerNode} channels in turn, created on first use.
     *
     * @throws IllegalStateException if the cluster view is closed
     */
    public ManagedChannel channel(String address) {
        if (closed) {
            throw new IllegalStateException("client is closed");
        }
        ChannelPool pool = channels.computeIfAbsent(address, a -> new ChannelPool(connectionsPerNode, () -> {
            NettyChannelBuilder b = channelFactory.forTarget(a)
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs))
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES);
            return (interceptor == null ? b : b.intercept(interceptor)).build();
        }));
        if (closed) { // lost a race with close(): do not leak the channels
            pool.shutdownNow();
            throw new IllegalStateException("client is closed");
        }
        return pool.next();
    }

    /** Stops the tend and shuts every channel down (in-flight calls fail). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        if (tendTask != null) {
            tendTask.cancel(false);
        }
        for (ChannelPool pool : channels.values()) {
            pool.shutdownNow();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (ChannelPool pool : channels.values()) {
            try {
                pool.awaitTermination(deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channels.clear();
    }

    /** No address answered a cluster-map request; the message lists what each one said. */
    public static final class MapUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final boolean unauthenticated;

        MapUnavailableException(String message, boolean unauthenticated) {
            super(message);
            this.unauthenticated = unauthenticated;
        }

        /** Whether a seed refused the caller (no user, or an invalid session) rather than failed. */
        public boolean unauthenticated() {
            return unauthenticated;
        }
    }
}
