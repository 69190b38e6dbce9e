package io.partita.tools.cli;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.tls.TlsErrors;
import io.partita.protocol.v1.AddNodeRequest;
import io.partita.protocol.v1.AddNodeResponse;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.DecommissionNodeRequest;
import io.partita.protocol.v1.DecommissionNodeResponse;
import io.partita.protocol.v1.DescribeNodeRequest;
import io.partita.protocol.v1.HandOffLeadershipRequest;
import io.partita.protocol.v1.HandOffLeadershipResponse;
import io.partita.protocol.v1.InitClusterRequest;
import io.partita.protocol.v1.InitClusterResponse;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.NodeStatusRequest;
import io.partita.protocol.v1.NodeStatusResponse;
import java.net.ConnectException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Calls to the {@code Admin} gRPC service on nodes' client ports, one channel per address (TLS as the environment
 * says, {@link CliTls}), each call with its own deadline. Closing shuts every channel down.
 */
public final class AdminClient implements AutoCloseable {

    private final ChannelFactory channelFactory;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** Channels as the environment says ({@link CliTls}). */
    public AdminClient() {
        this(CliTls.channels());
    }

    public AdminClient(ChannelFactory channelFactory) {
        this.channelFactory = channelFactory;
    }

    /** What one call returned: the answer, or why there is none. */
    public record Answer<T>(String address, T value, StatusRuntimeException error) {
        public boolean ok() {
            return error == null;
        }

        /** One-line reason the call failed, e.g. {@code UNAVAILABLE: Connection refused}. */
        public String problem(Duration deadline) {
            return describe(error, deadline);
        }
    }

    public NodeDescription describe(String address, Duration deadline) {
        return stub(address, deadline).describeNode(DescribeNodeRequest.getDefaultInstance());
    }

    public InitClusterResponse init(String address, List<String> hosts, Duration deadline) {
        return stub(address, deadline).initCluster(InitClusterRequest.newBuilder().addAllHosts(hosts).build());
    }

    /** Asks the member at {@code address} to add the waiting node at {@code nodeAddress} to its cluster. */
    public AddNodeResponse addNode(String address, String nodeAddress, Duration deadline) {
        return stub(address, deadline).addNode(AddNodeRequest.newBuilder().setAddress(nodeAddress).build());
    }

    /** Asks the member at {@code address} to start draining node {@code nodeId}. */
    public DecommissionNodeResponse decommission(String address, String nodeId, Duration deadline) {
        return stub(address, deadline).decommissionNode(DecommissionNodeRequest.newBuilder().setNodeId(nodeId)
                .build());
    }

    /** Asks the node at {@code address} to hand the leadership of every group it leads to a follower. */
    public HandOffLeadershipResponse handOffLeadership(String address, Duration budget, Duration deadline) {
        return stub(address, deadline).handOffLeadership(HandOffLeadershipRequest.newBuilder()
                .setBudgetMs((int) Math.min(Integer.MAX_VALUE, Math.max(1, budget.toMillis()))).build());
    }

    /** DescribeNode on every address at once; answers in the order of {@code addresses}. */
    public Map<String, Answer<NodeDescription>> describeAll(List<String> addresses, Duration deadline) {
        Map<String, Future<NodeDescription>> calls = new LinkedHashMap<>();
        for (String a : addresses) {
            calls.put(a, futureStub(a, deadline).describeNode(DescribeNodeRequest.getDefaultInstance()));
        }
        return collect(calls);
    }

    /** NodeStatus on every address at once; answers in the order of {@code addresses}. */
    public Map<String, Answer<NodeStatusResponse>> statusAll(List<String> addresses, Duration deadline) {
        Map<String, Future<NodeStatusResponse>> calls = new LinkedHashMap<>();
        for (String a : addresses) {
            calls.put(a, futureStub(a, deadline).nodeStatus(NodeStatusRequest.getDefaultInstance()));
        }
        return collect(calls);
    }

    private static <T> Map<String, Answer<T>> collect(Map<String, Future<T>> calls) {
        Map<String, Answer<T>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Future<T>> e : calls.entrySet()) {
            try {
                out.put(e.getKey(), new Answer<>(e.getKey(), e.getValue().get(), null));
            } catch (ExecutionException ex) {
                out.put(e.getKey(), new Answer<>(e.getKey(), null, asStatus(ex.getCause())));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                out.put(e.getKey(), new Answer<>(e.getKey(), null,
                        Status.CANCELLED.withDescription("interrupted").asRuntimeException()));
            }
        }
        return out;
    }

    private static StatusRuntimeException asStatus(Throwable t) {
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        return Status.fromThrowable(t).asRuntimeException();
    }

    /**
     * One line for a failed call: the gRPC code and the most telling message, e.g.
     * {@code UNAVAILABLE: Connection refused} or {@code DEADLINE_EXCEEDED: no answer within 2s}.
     */
    public static String describe(StatusRuntimeException e, Duration deadline) {
        Status s = e.getStatus();
        String detail;
        if (s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            detail = "no answer within " + Durations.format(deadline);
        } else if (s.getCode() == Status.Code.UNIMPLEMENTED) {
            detail = "the node does not serve the Admin service (a Partita version without cluster support?)";
        } else if (TlsErrors.describe(e) != null) {
            detail = "TLS: " + TlsErrors.describe(e);
        } else {
            detail = rootMessage(s.getCause());
            if (detail == null) {
                detail = s.getDescription() == null ? "" : s.getDescription();
            }
        }
        detail = detail.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        return detail.isEmpty() ? s.getCode().toString() : s.getCode() + ": " + detail;
    }

    /** The message of the innermost cause, without the address Netty appends to a refused connection. */
    private static String rootMessage(Throwable t) {
        if (t == null) {
            return null;
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        if (m == null) {
            return root.getClass().getSimpleName();
        }
        if (root instanceof ConnectException && m.contains("Connection refused")) {
            return "Connection refused"; // without Netty's "finishConnect(..) failed:" and the address
        }
        return m;
    }

    private ManagedChannel channel(String address) {
        return channels.computeIfAbsent(address, a -> CliUser.intercept(channelFactory.forTarget(a)).build());
    }

    private AdminGrpc.AdminBlockingStub stub(String address, Duration deadline) {
        return AdminGrpc.newBlockingStub(channel(address)).withDeadlineAfter(deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private AdminGrpc.AdminFutureStub futureStub(String address, Duration deadline) {
        return AdminGrpc.newFutureStub(channel(address)).withDeadlineAfter(deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        for (ManagedChannel ch : channels.values()) {
            ch.shutdownNow();
        }
        for (ManagedChannel ch : channels.values()) {
            try {
                ch.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channels.clear();
    }
}
