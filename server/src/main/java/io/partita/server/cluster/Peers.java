package io.partita.server.cluster;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.tls.TlsErrors;
import io.partita.protocol.v1.AddNodeRequest;
import io.partita.protocol.v1.AddNodeResponse;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.DescribeNodeRequest;
import io.partita.protocol.v1.JoinClusterRequest;
import io.partita.protocol.v1.JoinClusterResponse;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.NodeStatusRequest;
import io.partita.protocol.v1.NodeStatusResponse;
import io.partita.protocol.v1.FetchSnapshotRequest;
import io.partita.protocol.v1.SnapshotChunk;
import io.partita.protocol.v1.SnapshotTransferGrpc;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Admin calls from this node to other nodes' client ports, over one cached channel per address. */
public final class Peers implements AutoCloseable {
    /** Time an AddNode call may take: a describe of the new node (up to its own timeout) and a plan commit. */
    static final long ADD_NODE_TIMEOUT_MS = 60_000;

    private final long timeoutMs;
    private final ChannelFactory channelFactory;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** Plaintext calls to peers. */
    public Peers(long timeoutMs) {
        this(timeoutMs, ChannelFactory.plaintext());
    }

    /** Calls to peers over channels from {@code channelFactory} (TLS with the node's certificate, or plaintext). */
    public Peers(long timeoutMs, ChannelFactory channelFactory) {
        this.timeoutMs = timeoutMs;
        this.channelFactory = channelFactory;
    }

    /**
     * A call's failure in a few words that stay the same from one attempt to the next: the gRPC status code (its
     * message carries timings), or the exception for anything else.
     */
    static String failure(RuntimeException e) {
        String tls = TlsErrors.describe(e);
        if (tls != null) {
            return "TLS: " + tls;
        }
        return e instanceof io.grpc.StatusRuntimeException s ? s.getStatus().getCode().name() : e.toString();
    }

    public NodeDescription describe(String address) {
        return stub(address).describeNode(DescribeNodeRequest.getDefaultInstance());
    }

    /**
     * As {@link #describe}, but waits (within the call timeout) for a connection instead of failing at once: for a
     * node an operator names, which may have been unreachable moments ago (its cached channel backing off).
     */
    public NodeDescription describePatiently(String address) {
        return stub(address).withWaitForReady().describeNode(DescribeNodeRequest.getDefaultInstance());
    }

    /**
     * Asks the node at {@code address} to add the node at {@code nodeAddress} to its cluster, as
     * {@code partita node add} does. The member describes the new node first and then commits a plan version, so this
     * waits up to 60 s rather than the usual call timeout.
     */
    public AddNodeResponse addNode(String address, String nodeAddress) {
        return AdminGrpc.newBlockingStub(channel(address)).withDeadlineAfter(ADD_NODE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .addNode(AddNodeRequest.newBuilder().setAddress(nodeAddress).build());
    }

    public NodeStatusResponse status(String address) {
        return stub(address).nodeStatus(NodeStatusRequest.getDefaultInstance());
    }

    public JoinClusterResponse join(String address, ClusterPlan plan) {
        return stub(address).joinCluster(JoinClusterRequest.newBuilder().setPlan(plan).build());
    }

    /**
     * Streams a node's latest snapshot of a group. No deadline: a large snapshot at a low rate takes long; a broken
     * connection ends the stream with an error.
     */
    public Iterator<SnapshotChunk> fetchSnapshot(String address, FetchSnapshotRequest request) {
        return SnapshotTransferGrpc.newBlockingStub(channel(address)).fetchSnapshot(request);
    }

    private AdminGrpc.AdminBlockingStub stub(String address) {
        return AdminGrpc.newBlockingStub(channel(address)).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private ManagedChannel channel(String address) {
        ManagedChannel channel = channels.computeIfAbsent(address, a -> channelFactory.forTarget(a).build());
        // A channel that failed to connect waits out a growing backoff (up to 2 min) and fails every call meanwhile:
        // a peer that was down while this node polled it (seeds, snapshot sources) would stay unreachable long after
        // it is back. Calls here are rare, so each one may reconnect at once.
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
        return channel;
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
