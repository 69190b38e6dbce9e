package io.partita.server.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.DescribeNodeRequest;
import io.partita.protocol.v1.ExportGroupChunk;
import io.partita.protocol.v1.ExportGroupRequest;
import io.partita.protocol.v1.FetchSnapshotRequest;
import io.partita.protocol.v1.NodeDescription;
import io.partita.protocol.v1.SnapshotChunk;
import io.partita.protocol.v1.SnapshotTransferGrpc;
import io.partita.server.config.NodeConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each limit on its own, against a loopback gRPC server whose export and snapshot-fetch calls stay open until the
 * test ends them: the call beyond a limit is refused at once with RESOURCE_EXHAUSTED naming the key, and the slot
 * comes back when a call ends, however it ends.
 */
class CallLimiterTest {
    private static final int UNLIMITED = 100_000;

    private final List<StreamObserver<?>> held = new CopyOnWriteArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private Server server;

    /** Answers DescribeNode at once; holds every ExportGroup and FetchSnapshot call open. */
    private final class HoldingAdmin extends AdminGrpc.AdminImplBase {
        @Override
        public void describeNode(DescribeNodeRequest request, StreamObserver<NodeDescription> out) {
            out.onNext(NodeDescription.newBuilder().setNodeId("n1").build());
            out.onCompleted();
        }

        @Override
        public void exportGroup(ExportGroupRequest request, StreamObserver<ExportGroupChunk> out) {
            held.add(out);
        }
    }

    private final class HoldingSnapshots extends SnapshotTransferGrpc.SnapshotTransferImplBase {
        @Override
        public void fetchSnapshot(FetchSnapshotRequest request, StreamObserver<SnapshotChunk> out) {
            held.add(out);
        }
    }

    private void start(NodeConfig.Limits limits) throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new HoldingAdmin()).addService(new HoldingSnapshots())
                .addTransportFilter(new ConnectionLimiter(limits)).intercept(new CallLimiter(limits))
                .build().start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channels.forEach(ManagedChannel::shutdownNow);
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private ManagedChannel channel() {
        ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        channels.add(c);
        return c;
    }

    private static NodeDescription describe(ManagedChannel c) {
        return AdminGrpc.newBlockingStub(c).withDeadlineAfter(5, TimeUnit.SECONDS)
                .describeNode(DescribeNodeRequest.getDefaultInstance());
    }

    private static void assertRefused(String key, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e::toString);
        assertTrue(e.getStatus().getDescription().contains(key), e::toString);
    }

    /** Starts an export whose server side stays open; returns the client's handle to cancel it. */
    private ClientCallStreamObserver<ExportGroupRequest> export(ManagedChannel c, List<Status> outcome) {
        @SuppressWarnings("unchecked")
        ClientCallStreamObserver<ExportGroupRequest>[] handle = new ClientCallStreamObserver[1];
        AdminGrpc.newStub(c).exportGroup(ExportGroupRequest.getDefaultInstance(),
                new ClientResponseObserver<ExportGroupRequest, ExportGroupChunk>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<ExportGroupRequest> call) {
                        handle[0] = call;
                    }

                    @Override
                    public void onNext(ExportGroupChunk value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        outcome.add(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        outcome.add(Status.OK);
                    }
                });
        return handle[0];
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void connectionsBeyondTheLimitFromOneAddressAreRefused() throws Exception {
        start(new NodeConfig.Limits(2, UNLIMITED, 16, 16));
        ManagedChannel first = channel();
        describe(first);
        describe(channel());
        ManagedChannel third = channel();
        assertRefused("limits.max-connections-per-client", () -> describe(third));

        first.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        third.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        await("a closed connection to free its slot", () -> {
            ManagedChannel next = channel();
            try {
                return describe(next).getNodeId().equals("n1");
            } catch (StatusRuntimeException e) {
                next.shutdownNow();
                return false;
            }
        });
    }

    @Test
    void callsBeyondTheLimitOnOneConnectionAreRefused() throws Exception {
        start(new NodeConfig.Limits(UNLIMITED, 2, 16, 16));
        ManagedChannel c = channel();
        List<Status> outcomes = new CopyOnWriteArrayList<>();
        ClientCallStreamObserver<ExportGroupRequest> open = export(c, outcomes);
        export(c, outcomes);
        await("both exports to be open", () -> held.size() == 2);
        assertRefused("limits.max-calls-per-connection", () -> describe(c));
        assertEquals("n1", describe(channel()).getNodeId(), "another connection has its own calls");

        open.cancel("done", null); // a cancelled call frees its slot too
        await("the cancelled call's slot", () -> {
            try {
                return describe(c).getNodeId().equals("n1");
            } catch (StatusRuntimeException e) {
                return false;
            }
        });
    }

    @Test
    void exportsBeyondTheNodeLimitAreRefused() throws Exception {
        start(new NodeConfig.Limits(UNLIMITED, UNLIMITED, 1, 16));
        List<Status> outcomes = new CopyOnWriteArrayList<>();
        export(channel(), outcomes);
        await("the first export", () -> held.size() == 1);
        export(channel(), outcomes);
        await("the second export's refusal", () -> outcomes.size() == 1);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, outcomes.get(0).getCode());
        assertTrue(outcomes.get(0).getDescription().contains("limits.max-concurrent-exports"), outcomes::toString);

        held.get(0).onCompleted(); // a finished export frees its slot
        await("a new export after the first finished", () -> {
            export(channel(), outcomes);
            return held.size() == 2;
        });
    }

    @Test
    void snapshotFetchesBeyondTheNodeLimitAreRefused() throws Exception {
        start(new NodeConfig.Limits(UNLIMITED, UNLIMITED, 16, 1));
        var stub = SnapshotTransferGrpc.newBlockingStub(channel());
        var first = stub.fetchSnapshot(FetchSnapshotRequest.getDefaultInstance());
        await("the first fetch", () -> held.size() == 1);
        var second = SnapshotTransferGrpc.newBlockingStub(channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                .fetchSnapshot(FetchSnapshotRequest.getDefaultInstance());
        assertRefused("limits.max-concurrent-snapshot-fetches", second::hasNext);
        held.get(0).onCompleted();
        assertTrue(!first.hasNext(), "the first fetch ends normally");
    }
}
