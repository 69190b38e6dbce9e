package io.partita.server.limits;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.SnapshotTransferGrpc;
import io.partita.server.config.NodeConfig;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refuses, with {@code RESOURCE_EXHAUSTED}, a call on a connection {@link ConnectionLimiter} marked as over its
 * client's limit, a call beyond {@code limits.max-calls-per-connection} on its connection, and an export or
 * snapshot fetch beyond the node's {@code limits.max-concurrent-exports} or
 * {@code limits.max-concurrent-snapshot-fetches}. Install it on the server builder (it must see every call of every
 * service, before any other interceptor) together with the {@link ConnectionLimiter}.
 */
public final class CallLimiter implements ServerInterceptor {
    private final int maxCallsPerConnection;
    /** Node-wide stream limits by full method name: the slots in use, the limit and the key that sets it. */
    private final Map<String, StreamLimit> streams;

    /**
     * @param limits the node's limits
     */
    public CallLimiter(NodeConfig.Limits limits) {
        this.maxCallsPerConnection = limits.maxCallsPerConnection();
        this.streams = Map.of(
                AdminGrpc.getExportGroupMethod().getFullMethodName(),
                new StreamLimit("exports", limits.maxConcurrentExports(), "limits.max-concurrent-exports"),
                SnapshotTransferGrpc.getFetchSnapshotMethod().getFullMethodName(),
                new StreamLimit("snapshot fetches", limits.maxConcurrentSnapshotFetches(),
                        "limits.max-concurrent-snapshot-fetches"));
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        ConnectionLimiter.Connection connection = call.getAttributes().get(ConnectionLimiter.CONNECTION);
        if (connection != null && connection.refusal() != null) {
            return refuse(call, connection.refusal());
        }
        AtomicInteger calls = connection == null ? null : connection.calls();
        if (calls != null && calls.incrementAndGet() > maxCallsPerConnection) {
            calls.decrementAndGet();
            return refuse(call, "too many calls in flight on this connection (at most " + maxCallsPerConnection
                    + "; raise limits.max-calls-per-connection, or open another connection)");
        }
        StreamLimit stream = streams.get(call.getMethodDescriptor().getFullMethodName());
        if (stream != null && stream.inUse.incrementAndGet() > stream.max) {
            stream.inUse.decrementAndGet();
            release(calls);
            return refuse(call, "too many concurrent " + stream.what + " on this node (at most " + stream.max
                    + "; try again later, or raise " + stream.key + ")");
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable done = () -> {
            if (released.compareAndSet(false, true)) {
                release(calls);
                if (stream != null) {
                    stream.inUse.decrementAndGet();
                }
            }
        };
        // Released when the call closes, or ends without closing (cancelled, connection lost): whichever comes first.
        ServerCall<Q, A> tracked = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                done.run();
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(tracked, headers);
        } catch (RuntimeException e) {
            done.run();
            throw e;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                done.run();
                super.onCancel();
            }

            @Override
            public void onComplete() {
                done.run();
                super.onComplete();
            }
        };
    }

    private static void release(AtomicInteger calls) {
        if (calls != null) {
            calls.decrementAndGet();
        }
    }

    private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, String why) {
        call.close(Status.RESOURCE_EXHAUSTED.withDescription(why), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private static final class StreamLimit {
        final String what;
        final int max;
        final String key;
        final AtomicInteger inUse = new AtomicInteger();

        StreamLimit(String what, int max, String key) {
            this.what = what;
            this.max = max;
            this.key = key;
        }
    }
}
