package io.partita.server.limits;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerTransportFilter;
import io.partita.server.config.NodeConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the client port's connections per client IP address and tags each connection with its
 * {@link Connection} state, which {@link CallLimiter} reads from the call's attributes.
 *
 * <p>A transport filter cannot refuse a connection, so one beyond {@code limits.max-connections-per-client} is
 * marked instead and every call on it is refused with {@code RESOURCE_EXHAUSTED}: the client learns why at its
 * first call rather than seeing a connection that hangs or resets.
 */
public final class ConnectionLimiter extends ServerTransportFilter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    /** The connection's state, set when it becomes ready. */
    static final Attributes.Key<Connection> CONNECTION = Attributes.Key.create("partita.limits.connection");

    private final int maxPerClient;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

    /**
     * @param limits the node's limits
     */
    public ConnectionLimiter(NodeConfig.Limits limits) {
        this.maxPerClient = limits.maxConnectionsPerClient();
    }

    @Override
    public Attributes transportReady(Attributes attrs) {
        InetAddress client = clientOf(attrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        if (client == null) {
            return attrs.toBuilder().set(CONNECTION, new Connection(null, null)).build(); // in-process: not counted
        }
        int open = perClient.computeIfAbsent(client, a -> new AtomicInteger()).incrementAndGet();
        String refusal = null;
        if (open > maxPerClient) {
            refusal = "too many connections from " + client.getHostAddress() + " (" + open + " open, at most "
                    + maxPerClient + "; raise limits.max-connections-per-client, or share connections)";
            // DEBUG: a misbehaving client must not be able to flood the log; the refusal reaches the client.
            LOG.debug("Refusing calls on a connection: {}", refusal);
        }
        return attrs.toBuilder().set(CONNECTION, new Connection(client, refusal)).build();
    }

    @Override
    public void transportTerminated(Attributes attrs) {
        // Null attributes, or none of ours: the connection ended before it was ready (a broken handshake or preface).
        Connection c = attrs == null ? null : attrs.get(CONNECTION);
        if (c == null || c.client() == null) {
            return;
        }
        perClient.computeIfPresent(c.client(), (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private static InetAddress clientOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /**
     * One connection's state.
     *
     * @param client  the client's address, null when not counted
     * @param refusal why every call on it is refused, or null
     * @param calls   its calls in flight, counted by {@link CallLimiter}
     */
    record Connection(InetAddress client, String refusal, AtomicInteger calls) {
        Connection(InetAddress client, String refusal) {
            this(client, refusal, new AtomicInteger());
        }
    }
}
