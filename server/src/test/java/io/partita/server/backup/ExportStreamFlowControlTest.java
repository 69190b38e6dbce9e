package io.partita.server.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.partita.engine.storage.AppliedPosition;
import io.partita.engine.storage.GroupScan;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.StorageOptions;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ExportGroupChunk;
import io.partita.protocol.v1.ExportGroupRequest;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export stream over a real gRPC (Netty, loopback) call and a real RocksDB: a reader that stops asking for
 * messages stops the scan instead of making the server buffer the group, and a cancelled call releases the scan.
 */
class ExportStreamFlowControlTest {
    private static final int RECORDS = 240;
    private static final int RECORD_BYTES = 100 * 1024;
    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path dir;
    private NodeStore store;
    private Server server;
    private ManagedChannel channel;
    private final List<ExportStream> streams = new CopyOnWriteArrayList<>();
    private final List<GroupScan> scans = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        store = NodeStore.open(dir, StorageOptions.defaults());
        List<WriteOp> ops = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            ops.add(WriteOp.write(WriteKind.PUT, "test", "big", KeyDigest.compute("big", (long) i),
                    ExistsAction.CREATE_OR_UPDATE, 0, 0, false, Map.of("b", new byte[RECORD_BYTES]), 1 << 20));
        }
        store.group(0).apply(new AppliedPosition(1, 5), NOW, ops);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new AdminGrpc.AdminImplBase() {
                    @Override
                    public void exportGroup(ExportGroupRequest request, StreamObserver<ExportGroupChunk> out) {
                        GroupScan scan = store.group(0).openSnapshotScan(NOW, "", "");
                        scans.add(scan);
                        streams.add(ExportStream.start((ServerCallStreamObserver<ExportGroupChunk>) out, scan,
                                ExportGroupChunk.newBuilder().setGroup(0).setAppliedIndex(5).build()));
                    }
                }).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                .maxInboundMessageSize(4 << 20).build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        store.close();
    }

    /** A reader that asks for one message up front and more only when told to. */
    private static final class SlowReader implements ClientResponseObserver<ExportGroupRequest, ExportGroupChunk> {
        final AtomicLong records = new AtomicLong();
        final AtomicReference<ExportGroupChunk> last = new AtomicReference<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile ClientCallStreamObserver<ExportGroupRequest> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<ExportGroupRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(1);
        }

        @Override
        public void onNext(ExportGroupChunk chunk) {
            records.addAndGet(chunk.getRecordsCount());
            last.set(chunk);
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            done.complete(null);
        }
    }

    @Test
    void aSlowReaderHoldsTheServerBackAndThenGetsEveryRecord() throws Exception {
        SlowReader reader = new SlowReader();
        AdminGrpc.newStub(channel).exportGroup(ExportGroupRequest.getDefaultInstance(), reader);
        Thread.sleep(1500);
        long sentWhileStalled = streams.get(0).chunksSent();
        // The whole group is header + 24 chunks of ~1 MiB + the last message; only what fits the transport's
        // flow-control window may leave while the reader asks for nothing.
        assertTrue(sentWhileStalled <= 6, "server sent " + sentWhileStalled + " messages to a stalled reader");
        reader.call.request(Integer.MAX_VALUE);
        reader.done.get(30, TimeUnit.SECONDS);
        assertEquals(RECORDS, reader.records.get());
        assertTrue(reader.last.get().getDone());
        assertEquals(RECORDS, reader.last.get().getTotalRecords());
        assertTrue(streams.get(0).chunksSent() > 20);
        assertTrue(scans.get(0).isClosed(), "the scan is released when the stream ends");
    }

    @Test
    void aCancelledCallReleasesTheScan() throws Exception {
        SlowReader reader = new SlowReader();
        AdminGrpc.newStub(channel).exportGroup(ExportGroupRequest.getDefaultInstance(), reader);
        Thread.sleep(300);
        reader.call.cancel("reader gave up", null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!scans.get(0).isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(scans.get(0).isClosed(), "the scan is released when the reader cancels");
    }
}
