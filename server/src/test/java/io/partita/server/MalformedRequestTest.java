package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.engine.time.Clock;
import io.partita.protocol.Limits;
import io.partita.protocol.OpCode;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.Bin;
import io.partita.protocol.v1.ClusterMapRequest;
import io.partita.protocol.v1.DeleteRequest;
import io.partita.protocol.v1.GetRequest;
import io.partita.protocol.v1.Key;
import io.partita.protocol.v1.ListValue;
import io.partita.protocol.v1.OperateRequest;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.protocol.v1.PutRequest;
import io.partita.protocol.v1.Status;
import io.partita.protocol.v1.TouchRequest;
import io.partita.protocol.v1.Value;
import io.partita.protocol.v1.WriteOptions;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests a well-behaved client never sends, straight on the wire: each gets a typed result code, and the node
 * keeps serving.
 */
class MalformedRequestTest {
    @TempDir
    Path dir;

    private static Key key(String k) {
        return Key.newBuilder().setNamespace("test").setSet("raw").setStringKey(k).build();
    }

    private static Bin bin(String name, long v) {
        return Bin.newBuilder().setName(name).setValue(Value.newBuilder().setLongValue(v)).build();
    }

    private static void assertCode(ResultCode expected, Status status) {
        assertEquals(expected, ResultCode.fromCode(status.getCode()), status.getMessage());
        assertTrue(!status.getMessage().isEmpty(), "refusals explain themselves");
    }

    @Test
    void malformedRequestsGetTypedCodes() throws Exception {
        int maxConnections = 4;
        NodeConfig config = TestNodes.config(dir).withLimits(new NodeConfig.Limits(maxConnections, 100, 16, 16));
        try (Node node = TestNodes.startReady(config, Clock.SYSTEM)) {
            ManagedChannel channel = NettyChannelBuilder.forTarget(node.clientAddress()).usePlaintext().build();
            try {
                var stub = PartitaGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
                assertCode(ResultCode.PARAMETER_ERROR, stub.put(PutRequest.newBuilder().addBins(bin("a", 1)).build())
                        .getStatus());
                assertCode(ResultCode.PARAMETER_ERROR, stub.put(PutRequest.newBuilder()
                        .setKey(Key.newBuilder().setNamespace("test").setSet("raw")).addBins(bin("a", 1)).build())
                        .getStatus());
                assertCode(ResultCode.PARAMETER_ERROR, stub.put(PutRequest.newBuilder().setKey(key("k")).build())
                        .getStatus());
                assertCode(ResultCode.PARAMETER_ERROR, stub.put(PutRequest.newBuilder().setKey(key("k"))
                        .addBins(bin("", 1)).build()).getStatus());
                assertCode(ResultCode.PARAMETER_ERROR, stub.put(PutRequest.newBuilder().setKey(key("k"))
                        .addBins(bin("a", 1)).addBins(bin("a", 2)).build()).getStatus());
                assertCode(ResultCode.PARAMETER_ERROR, stub.put(PutRequest.newBuilder().setKey(key("k"))
                        .addBins(bin("a", 1)).setOptions(WriteOptions.newBuilder().setExistsActionValue(77)).build())
                        .getStatus());
                assertCode(ResultCode.PARAMETER_ERROR, stub.put(PutRequest.newBuilder().setKey(key("k"))
                        .addBins(bin("a", 1)).setOptions(WriteOptions.newBuilder().setTtlSeconds(-5)).build())
                        .getStatus());
                assertCode(ResultCode.PARAMETER_ERROR, stub.put(PutRequest.newBuilder()
                        .setKey(key("k").toBuilder().setSet("s".repeat(64))).addBins(bin("a", 1)).build())
                        .getStatus());
                assertCode(ResultCode.PARAMETER_ERROR, stub.get(GetRequest.newBuilder()
                        .setKey(key("k".repeat(io.partita.protocol.Limits.MAX_KEY_BYTES + 1))).build()).getStatus());
                assertCode(ResultCode.PARAMETER_ERROR, stub.put(PutRequest.newBuilder().setKey(Key.newBuilder()
                        .setNamespace("test").setBytesKey(com.google.protobuf.ByteString.copyFrom(
                                new byte[io.partita.protocol.Limits.MAX_KEY_BYTES + 1]))).addBins(bin("a", 1)).build())
                        .getStatus());
                PutRequest.Builder manyBins = PutRequest.newBuilder().setKey(key("k"));
                for (int i = 0; i <= io.partita.protocol.Limits.MAX_BINS_PER_WRITE; i++) {
                    manyBins.addBins(bin("b" + i, 1));
                }
                assertCode(ResultCode.PARAMETER_ERROR, stub.put(manyBins.build()).getStatus());
                assertCode(ResultCode.PARAMETER_ERROR, stub.touch(TouchRequest.newBuilder().setKey(key("k"))
                        .setOptions(WriteOptions.newBuilder().setTtlSeconds(-3)).build()).getStatus());
                assertCode(ResultCode.PARAMETER_ERROR, stub.get(GetRequest.newBuilder()
                        .setKey(key("k").toBuilder().setNamespace("")).build()).getStatus());
                assertCode(ResultCode.NAMESPACE_NOT_FOUND, stub.get(GetRequest.newBuilder()
                        .setKey(key("k").toBuilder().setNamespace("missing")).build()).getStatus());
                assertCode(ResultCode.KEY_NOT_FOUND, stub.delete(DeleteRequest.newBuilder().setKey(key("k")).build())
                        .getStatus());
                malformedOperateCalls(stub);
                outOfRangeNumbers(stub, channel);

                // Still serving normally.
                assertEquals(0, stub.put(PutRequest.newBuilder().setKey(key("k")).addBins(bin("a", 1)).build())
                        .getStatus().getCode());
                assertEquals(1L, stub.get(GetRequest.newBuilder().setKey(key("k")).build()).getRecord().getBins(0)
                        .getValue().getLongValue());
                connectionsBeyondTheLimitAreRefused(node, maxConnections);
            } finally {
                channel.shutdownNow();
            }
        }
    }

    /** uint32 fields at 2^31 and beyond arrive negative in Java: refused as out of range, not failing the node. */
    private static void outOfRangeNumbers(PartitaGrpc.PartitaBlockingStub stub, ManagedChannel channel) {
        assertCode(ResultCode.PARAMETER_ERROR, stub.truncate(io.partita.protocol.v1.TruncateRequest.newBuilder()
                .setNamespace("test").setGroup(-1).build()).getStatus());
        assertCode(ResultCode.PARAMETER_ERROR, stub.scan(io.partita.protocol.v1.ScanRequest.newBuilder()
                .setNamespace("test").setGroup(-1).build()).next().getStatus());
        assertCode(ResultCode.PARAMETER_ERROR, stub.scan(io.partita.protocol.v1.ScanRequest.newBuilder()
                .setNamespace("test").addPartitions(io.partita.protocol.v1.ScanPartition.newBuilder()
                        .setPartition(-7)).build()).next().getStatus());
        var admin = io.partita.protocol.v1.AdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertInvalid(() -> admin.exportGroup(io.partita.protocol.v1.ExportGroupRequest.newBuilder().setGroup(-1)
                .build()).hasNext());
        assertInvalid(() -> admin.handOffLeadership(io.partita.protocol.v1.HandOffLeadershipRequest.newBuilder()
                .setBudgetMs(-1).build()));
        assertInvalid(() -> io.grpc.stub.ClientCalls.blockingUnaryCall(channel,
                RawMessages.of(PartitaGrpc.getPutMethod()), io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10,
                TimeUnit.SECONDS), new byte[] {0x0a, (byte) 0xff})); // a length prefix with nothing after it
    }

    private static void assertInvalid(Runnable call) {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                call::run);
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e::toString);
    }

    /** The node enforces its limits section (each limit on its own: CallLimiterTest). */
    private static void connectionsBeyondTheLimitAreRefused(Node node, int max) {
        List<ManagedChannel> channels = new ArrayList<>();
        List<io.grpc.Status> refusals = new ArrayList<>();
        try {
            // One connection is open already, so opening max more must exceed the limit.
            for (int i = 0; i < max; i++) {
                ManagedChannel c = NettyChannelBuilder.forTarget(node.clientAddress()).usePlaintext().build();
                channels.add(c);
                try {
                    PartitaGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .getClusterMap(ClusterMapRequest.getDefaultInstance());
                } catch (StatusRuntimeException e) {
                    refusals.add(e.getStatus());
                }
            }
            // The client library reports the limit, not a record too big (what RESOURCE_EXHAUSTED meant before).
            try (var client = io.partita.client.PartitaClient.connect(node.clientAddress())) {
                client.get(new io.partita.client.Key("test", "raw", "k"));
                refusals.add(io.grpc.Status.OK.withDescription("the client's get was served"));
            } catch (io.partita.client.PartitaException e) {
                assertTrue(e.getMessage().contains("limits.max-connections-per-client"), e::toString);
            }
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
        }
        assertTrue(!refusals.isEmpty(), "no connection beyond limits.max-connections-per-client was refused");
        for (io.grpc.Status s : refusals) {
            assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, s.getCode(), s::toString);
            assertTrue(s.getDescription().contains("limits.max-connections-per-client"), s::toString);
        }
    }

    private static io.partita.protocol.v1.Operation op(int code, String bin, Value... args) {
        return io.partita.protocol.v1.Operation.newBuilder().setCode(code).setBin(bin).addAllArgs(List.of(args))
                .build();
    }

    private static Value deepList(int depth) {
        Value v = Value.newBuilder().setLongValue(1).build();
        for (int i = 0; i < depth; i++) {
            v = Value.newBuilder().setListValue(ListValue.newBuilder().addItems(v)).build();
        }
        return v;
    }

    /** operate(): every refusal names what is wrong, and nothing of a refused call is applied. */
    private static void malformedOperateCalls(PartitaGrpc.PartitaBlockingStub stub) {
        Value one = Value.newBuilder().setLongValue(1).build();
        OperateRequest.Builder base = OperateRequest.newBuilder().setKey(key("op"));
        assertCode(ResultCode.PARAMETER_ERROR, stub.operate(base.build()).getStatus());            // no operations
        assertCode(ResultCode.PARAMETER_ERROR, stub.operate(base.clone()
                .addOperations(op(19, "a")).build()).getStatus());                                  // unknown code
        assertCode(ResultCode.PARAMETER_ERROR, stub.operate(base.clone()
                .addOperations(op(OpCode.ADD.wire(), "", one)).build()).getStatus());              // no bin name
        assertCode(ResultCode.BIN_NAME_TOO_LONG, stub.operate(base.clone()
                .addOperations(op(OpCode.ADD.wire(), "b".repeat(16), one)).build()).getStatus());
        assertCode(ResultCode.PARAMETER_ERROR, stub.operate(base.clone()
                .addOperations(op(OpCode.TOUCH.wire(), "a")).build()).getStatus());                // record op, bin
        assertCode(ResultCode.PARAMETER_ERROR, stub.operate(base.clone()
                .addOperations(op(OpCode.ADD.wire(), "a")).build()).getStatus());                  // no argument
        assertCode(ResultCode.PARAMETER_ERROR, stub.operate(base.clone()
                .addOperations(op(OpCode.LIST_APPEND.wire(), "l", deepList(Limits.MAX_VALUE_DEPTH), one))
                .build()).getStatus());                                                             // too deep
        assertCode(ResultCode.PARAMETER_ERROR, stub.operate(base.clone()
                .addOperations(op(OpCode.LIST_GET_BY_INDEX.wire(), "l", Value.newBuilder().setStringValue("x")
                        .build(), one)).build()).getStatus());                                     // index not a number
        assertCode(ResultCode.KEY_NOT_FOUND, stub.get(GetRequest.newBuilder().setKey(key("op")).build())
                .getStatus());
    }

    @Test
    void beforeLeadersAreElectedRequestsAreRefusedWithNotLeaderAndTheClientWaits() throws Exception {
        // Long first elections leave a window in which no group has a leader yet.
        var config = TestNodes.config(dir);
        config = config.withRaft(config.raft().withElectionTimeouts(java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(3)));
        try (Node node = Node.start(config, Clock.SYSTEM)) {
            ManagedChannel channel = NettyChannelBuilder.forTarget(node.clientAddress()).usePlaintext().build();
            try {
                var stub = PartitaGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
                Status early = stub.put(PutRequest.newBuilder().setKey(key("early")).addBins(bin("a", 1)).build())
                        .getStatus();
                assertCode(ResultCode.NOT_LEADER, early);
                assertCode(ResultCode.NOT_LEADER, stub.get(GetRequest.newBuilder().setKey(key("early")).build())
                        .getStatus());
            } finally {
                channel.shutdownNow();
            }
            try (var client = io.partita.client.PartitaClient.connect(io.partita.client.ClientConfig.builder()
                    .seeds(node.clientAddress())
                    .defaultWritePolicy(io.partita.client.WritePolicy.builder().timeoutMs(20_000).build())
                    .build())) {
                assertEquals(1, client.put(new io.partita.client.Key("test", "raw", "early"),
                        java.util.Map.of("a", 1L)), "the client retries until a leader is elected");
            }
        }
    }
}
