package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.partita.engine.time.Clock;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.Bin;
import io.partita.protocol.v1.ExistsRequest;
import io.partita.protocol.v1.GetRequest;
import io.partita.protocol.v1.Key;
import io.partita.protocol.v1.Op;
import io.partita.protocol.v1.OpFrame;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.protocol.v1.PutRequest;
import io.partita.protocol.v1.RecordExistsAction;
import io.partita.protocol.v1.Reply;
import io.partita.protocol.v1.ReplyFrame;
import io.partita.protocol.v1.Value;
import io.partita.protocol.v1.WriteOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's Multiplex stream, spoken to directly: one frame of several operations, each answered on its own. */
class MultiplexServiceTest {
    @TempDir
    Path dir;

    private static Key key(String k) {
        return Key.newBuilder().setNamespace("test").setSet("mux").setStringKey(k).build();
    }

    private static Op put(long id, Key key, RecordExistsAction action) {
        return Op.newBuilder().setId(id).setPut(PutRequest.newBuilder().setKey(key)
                .addBins(Bin.newBuilder().setName("v").setValue(Value.newBuilder().setLongValue(id)))
                .setOptions(WriteOptions.newBuilder().setExistsAction(action))).build();
    }

    @Test
    void aFramesWritesToOneGroupShareOneLogEntryAndEveryOperationGetsItsOwnAnswer() throws Exception {
        try (Node node = TestNodes.startReady(TestNodes.config(dir), Clock.SYSTEM)) {
            int groups = node.membership().runtime().layout().groupCount();
            // Keys of one group: the frame's writes to it must leave in a single log entry.
            List<Key> keys = new ArrayList<>();
            int group = -1;
            for (int i = 0; keys.size() < 6; i++) {
                Key k = key("k" + i);
                int g = node.membership().runtime().layout().groupOf(
                        KeyDigest.partitionId(KeyDigest.compute("mux", k.getStringKey())));
                if (group < 0) {
                    group = g;
                }
                if (g == group) {
                    keys.add(k);
                }
            }
            assertTrue(groups > 1, "the node should run several groups");
            ManagedChannel channel = NettyChannelBuilder.forTarget(node.clientAddress()).usePlaintext().build();
            try {
                BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
                List<Integer> replyFrames = new ArrayList<>();
                StreamObserver<OpFrame> ops = PartitaGrpc.newStub(channel).multiplex(new StreamObserver<>() {
                    @Override
                    public void onNext(ReplyFrame frame) {
                        synchronized (replyFrames) {
                            replyFrames.add(frame.getRepliesCount());
                        }
                        replies.addAll(frame.getRepliesList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        replies.add(Reply.newBuilder().setId(-1).build());
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
                ops.onNext(OpFrame.newBuilder().addOps(put(1, keys.get(0), RecordExistsAction.CREATE_ONLY)).build());
                assertEquals(ResultCode.OK.code(), take(replies).getPut().getStatus().getCode());

                MetricRegistry metrics = node.metrics().registry();
                long entries = metrics.counter("partita.batch.entries").getCount();
                long writes = metrics.counter("partita.batch.writes").getCount();
                long frames = metrics.counter("partita.multiplex.frames").getCount();
                OpFrame.Builder frame = OpFrame.newBuilder()
                        .addOps(put(10, keys.get(0), RecordExistsAction.CREATE_ONLY)); // exists: KEY_EXISTS
                for (int i = 1; i < 5; i++) {
                    frame.addOps(put(10 + i, keys.get(i), RecordExistsAction.CREATE_OR_UPDATE));
                }
                frame.addOps(Op.newBuilder().setId(20).setGet(GetRequest.newBuilder().setKey(keys.get(0))));
                frame.addOps(Op.newBuilder().setId(21).setExists(ExistsRequest.newBuilder().setKey(keys.get(5))));
                ops.onNext(frame.build());
                Map<Long, Reply> byId = new ConcurrentHashMap<>();
                for (int i = 0; i < 7; i++) {
                    Reply r = take(replies);
                    byId.put(r.getId(), r);
                }
                assertEquals(ResultCode.KEY_EXISTS.code(), byId.get(10L).getPut().getStatus().getCode());
                for (long id = 11; id < 15; id++) {
                    assertEquals(ResultCode.OK.code(), byId.get(id).getPut().getStatus().getCode(), "op " + id);
                    assertEquals(1, byId.get(id).getPut().getGeneration());
                }
                assertEquals(ResultCode.OK.code(), byId.get(20L).getGet().getStatus().getCode());
                assertEquals(1L, byId.get(20L).getGet().getRecord().getBins(0).getValue().getLongValue(),
                        "the get reads the first put's value (the create-only put was refused)");
                assertEquals(ResultCode.KEY_NOT_FOUND.code(), byId.get(21L).getExists().getStatus().getCode());

                assertEquals(frames + 1, metrics.counter("partita.multiplex.frames").getCount());
                assertEquals(5, metrics.counter("partita.batch.writes").getCount() - writes);
                assertEquals(1, metrics.counter("partita.batch.entries").getCount() - entries,
                        "the frame's five writes to one group should share one log entry");
                ops.onCompleted();
            } finally {
                channel.shutdownNow();
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static Reply take(BlockingQueue<Reply> replies) throws InterruptedException {
        Reply r = replies.poll(20, TimeUnit.SECONDS);
        if (r == null || r.getId() == -1) {
            throw new AssertionError(r == null ? "no reply within 20 s" : "the stream failed");
        }
        return r;
    }
}
