package io.partita.client;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.Limits;
import io.partita.protocol.ResultCode;
import io.partita.protocol.testing.TestPorts;
import io.partita.protocol.v1.Bin;
import io.partita.protocol.v1.ClusterMap;
import io.partita.protocol.v1.ClusterMapRequest;
import io.partita.protocol.v1.DeleteRequest;
import io.partita.protocol.v1.DeleteResponse;
import io.partita.protocol.v1.ExistsRequest;
import io.partita.protocol.v1.ExistsResponse;
import io.partita.protocol.v1.GetRequest;
import io.partita.protocol.v1.GetResponse;
import io.partita.protocol.v1.GroupInfo;
import io.partita.protocol.v1.NodeInfo;
import io.partita.protocol.v1.Op;
import io.partita.protocol.v1.OpFrame;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.protocol.v1.PutRequest;
import io.partita.protocol.v1.PutResponse;
import io.partita.protocol.v1.RecordExistsAction;
import io.partita.protocol.v1.Reply;
import io.partita.protocol.v1.ReplyFrame;
import io.partita.protocol.v1.Status;
import io.partita.protocol.v1.TouchRequest;
import io.partita.protocol.v1.TouchResponse;
import io.partita.protocol.v1.Value;
import io.partita.protocol.v1.WriteOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Fake Partita cluster for client tests: real Netty gRPC servers on loopback port 0 sharing one in-memory store.
 * Partitions below 2048 belong to group 0, the rest to group 1. Each node checks leadership against the "truth"
 * map (NOT_LEADER otherwise) while GetClusterMap returns the "served" map, so tests can make the client's map stale.
 */
final class FakeCluster implements AutoCloseable {

    static final String NAMESPACE = "test";

    final AtomicReference<ClusterMap> served = new AtomicReference<>();
    final AtomicReference<ClusterMap> truth = new AtomicReference<>();
    final Map<String, FakeNode> nodes = new LinkedHashMap<>();
    final Map<String, String> extraNodes = new LinkedHashMap<>(); // id -> address, nodes without a server
    final Map<ByteString, Stored> store = new ConcurrentHashMap<>();
    volatile boolean sendLeaderHints = true;

    FakeNode addNode(String id) throws IOException {
        FakeNode n = new FakeNode(id);
        nodes.put(id, n);
        return n;
    }

    FakeNode node(String id) {
        return nodes.get(id);
    }

    static int groupOf(int partition) {
        return partition < Limits.PARTITION_COUNT / 2 ? 0 : 1;
    }

    /** A map with the current nodes (and extra nodes) and the given group leaders ("" = none), terms 0. */
    ClusterMap map(long version, String leader0, String leader1) {
        return map(version, leader0, 0, leader1, 0);
    }

    /**
     * A map with the current nodes (and extra nodes), every node a replica of both groups (in insertion order), and
     * the given group leaders ("" = none) seen in the given Raft terms.
     */
    ClusterMap map(long version, String leader0, long term0, String leader1, long term1) {
        ClusterMap.Builder b = ClusterMap.newBuilder()
            .setVersion(version)
            .setClusterId("fake")
            .setPartitionCount(Limits.PARTITION_COUNT)
            .setGroupCount(2);
        for (int p = 0; p < Limits.PARTITION_COUNT; p++) {
            b.addPartitionGroups(groupOf(p));
        }
        List<String> ids = new ArrayList<>();
        for (FakeNode n : nodes.values()) {
            b.addNodes(NodeInfo.newBuilder().setNodeId(n.id).setClientAddress(n.address()));
            ids.add(n.id);
        }
        extraNodes.forEach((id, addr) -> {
            b.addNodes(NodeInfo.newBuilder().setNodeId(id).setClientAddress(addr));
            ids.add(id);
        });
        b.addGroups(GroupInfo.newBuilder().setGroup(0).setLeaderNodeId(leader0).setTerm(term0)
            .addAllReplicaNodeIds(ids));
        b.addGroups(GroupInfo.newBuilder().setGroup(1).setLeaderNodeId(leader1).setTerm(term1)
            .addAllReplicaNodeIds(ids));
        return b.build();
    }

    /** Serves and enforces the same map. */
    void publish(long version, String leader0, String leader1) {
        publish(map(version, leader0, leader1));
    }

    /** Serves and enforces {@code m}. */
    void publish(ClusterMap m) {
        truth.set(m);
        served.set(m);
    }

    String seed() {
        return nodes.values().iterator().next().address();
    }

    /** A key of namespace "test" whose partition belongs to {@code group}. */
    static Key keyInGroup(int group, String prefix) {
        for (int i = 0; ; i++) {
            Key k = new Key(NAMESPACE, "s", prefix + i);
            if (groupOf(k.partitionId()) == group) {
                return k;
            }
        }
    }

    /** A loopback port nothing listens on (bound then released). */
    static int closedPort() {
        return TestPorts.free();
    }

    @Override
    public void close() {
        for (FakeNode n : nodes.values()) {
            n.close();
        }
    }

    static final class Stored {
        int generation;
        long voidTimeMs;
        long lastUpdateMs;
        final Map<String, Value> bins = new LinkedHashMap<>();
    }

    static Status status(ResultCode code, String message) {
        return Status.newBuilder().setCode(code.code()).setMessage(message).build();
    }

    static final Status OK = Status.getDefaultInstance();

    /** One fake node. Override handlers: return a response, {@code null} to never answer, or throw a gRPC status. */
    final class FakeNode extends PartitaGrpc.PartitaImplBase implements AutoCloseable {
        final String id;
        final Server server;
        final int port;
        final AtomicInteger puts = new AtomicInteger();
        final AtomicInteger gets = new AtomicInteger();
        final AtomicInteger deletes = new AtomicInteger();
        final AtomicInteger existsCalls = new AtomicInteger();
        final AtomicInteger touches = new AtomicInteger();
        final AtomicInteger mapFetches = new AtomicInteger();
        final AtomicInteger notLeaderAnswers = new AtomicInteger();
        final List<Object> requests = Collections.synchronizedList(new ArrayList<>());
        final List<StreamObserver<?>> hung = Collections.synchronizedList(new ArrayList<>());
        /** Multiplex frames wait for this before they are served (a node slow to read). */
        volatile CountDownLatch frameGate = new CountDownLatch(0);
        /** Operations per Multiplex frame received, in arrival order. */
        final List<Integer> frameSizes = Collections.synchronizedList(new ArrayList<>());
        /** Remote addresses of every call: one per client connection. */
        final Set<SocketAddress> peers = ConcurrentHashMap.newKeySet();
        volatile Function<PutRequest, PutResponse> onPut;
        volatile Function<GetRequest, GetResponse> onGet;
        volatile Function<DeleteRequest, DeleteResponse> onDelete;
        volatile Function<ExistsRequest, ExistsResponse> onExists;
        volatile Function<TouchRequest, TouchResponse> onTouch;
        /** The map this node serves instead of the shared served map (its own view of the leaders), or null. */
        volatile ClusterMap ownMap;
        /** Cluster-map requests are answered after this delay. */
        volatile long mapDelayMs;
        /** Cluster-map requests are never answered (a paused node). */
        volatile boolean mapsHang;

        FakeNode(String id) throws IOException {
            this.id = id;
            this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(this, new ServerInterceptor() {
                    @Override
                    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                                     ServerCallHandler<Q, A> next) {
                        peers.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
                        return next.startCall(call, headers);
                    }
                }))
                .build()
                .start();
            this.port = server.getPort();
        }

        String address() {
            return "127.0.0.1:" + port;
        }

        int totalCalls() {
            return puts.get() + gets.get() + deletes.get() + existsCalls.get() + touches.get();
        }

        @Override
        public void close() {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private <Req, Resp> void handle(Req req, StreamObserver<Resp> obs, AtomicInteger counter,
                                        Function<Req, Resp> override, Function<Req, Resp> dflt) {
            counter.incrementAndGet();
            requests.add(req);
            Resp r;
            try {
                r = (override != null ? override : dflt).apply(req);
            } catch (StatusRuntimeException e) {
                obs.onError(e);
                return;
            }
            if (r == null) {
                hung.add(obs);
                return;
            }
            obs.onNext(r);
            obs.onCompleted();
        }

        /** NOT_LEADER status if this node does not lead the key's group in the truth map, else null. */
        private Status leadership(io.partita.protocol.v1.Key key) {
            int group = groupOf(KeyDigest.partitionId(KeyDigest.compute(key)));
            String leader = truth.get().getGroups(group).getLeaderNodeId();
            if (leader.equals(id)) {
                return null;
            }
            notLeaderAnswers.incrementAndGet();
            return Status.newBuilder().setCode(ResultCode.NOT_LEADER.code())
                .setMessage(id + " does not lead group " + group)
                .setLeaderNodeId(sendLeaderHints ? leader : "").build();
        }

        /** Whether this node is a replica of the key's group in the truth map. */
        private boolean replicates(io.partita.protocol.v1.Key key) {
            int group = groupOf(KeyDigest.partitionId(KeyDigest.compute(key)));
            return truth.get().getGroups(group).getReplicaNodeIdsList().contains(id);
        }

        private Status namespace(io.partita.protocol.v1.Key key) {
            return key.getNamespace().equals(NAMESPACE) ? null
                : status(ResultCode.NAMESPACE_NOT_FOUND, "namespace '" + key.getNamespace() + "' not configured");
        }

        private ByteString digest(io.partita.protocol.v1.Key key) {
            return ByteString.copyFrom(KeyDigest.compute(key));
        }

        private Status checkGeneration(Stored s, int expected) {
            if (expected != 0 && s == null) { // as the engine: a missing record has no generation to match
                return status(ResultCode.KEY_NOT_FOUND, "no such record");
            }
            if (expected != 0 && s.generation != expected) {
                return status(ResultCode.GENERATION_ERROR, "expected generation " + expected + ", record has "
                    + s.generation);
            }
            return null;
        }

        private void applyTtl(Stored s, WriteOptions o) {
            long ttl = o.getTtlSeconds();
            if (ttl > 0) {
                s.voidTimeMs = System.currentTimeMillis() + ttl * 1000;
            } else if (ttl == -1 || ttl == 0) {
                s.voidTimeMs = 0;
            }
        }

        PutResponse defaultPut(PutRequest r) {
            Status st = leadership(r.getKey());
            if (st == null) {
                st = namespace(r.getKey());
            }
            if (st != null) {
                return PutResponse.newBuilder().setStatus(st).build();
            }
            for (Bin b : r.getBinsList()) {
                int len = b.getName().getBytes(StandardCharsets.UTF_8).length;
                if (len > Limits.MAX_BIN_NAME_BYTES) {
                    return PutResponse.newBuilder().setStatus(status(ResultCode.BIN_NAME_TOO_LONG,
                        "bin name '" + b.getName() + "' is " + len + " bytes; the limit is "
                            + Limits.MAX_BIN_NAME_BYTES)).build();
                }
            }
            synchronized (store) {
                ByteString d = digest(r.getKey());
                Stored s = store.get(d);
                RecordExistsAction a = r.getOptions().getExistsAction();
                if (s != null && a == RecordExistsAction.CREATE_ONLY) {
                    return PutResponse.newBuilder().setStatus(status(ResultCode.KEY_EXISTS,
                        "record exists (generation " + s.generation + ")")).build();
                }
                if (s == null && a == RecordExistsAction.UPDATE_ONLY) {
                    return PutResponse.newBuilder().setStatus(status(ResultCode.KEY_NOT_FOUND, "no such record"))
                        .build();
                }
                Status gen = checkGeneration(s, r.getOptions().getExpectedGeneration());
                if (gen != null) {
                    return PutResponse.newBuilder().setStatus(gen).build();
                }
                if (s == null) {
                    s = new Stored();
                    store.put(d, s);
                } else if (a == RecordExistsAction.REPLACE) {
                    s.bins.clear();
                }
                for (Bin b : r.getBinsList()) {
                    if (b.getValue().getKindCase() == Value.KindCase.KIND_NOT_SET) {
                        s.bins.remove(b.getName());
                    } else {
                        s.bins.put(b.getName(), b.getValue());
                    }
                }
                s.generation++;
                s.lastUpdateMs = System.currentTimeMillis();
                applyTtl(s, r.getOptions());
                return PutResponse.newBuilder().setStatus(OK).setGeneration(s.generation).build();
            }
        }

        private GetResponse defaultGet(GetRequest r) {
            Status st = r.getAllowReplicaRead() && replicates(r.getKey()) ? null : leadership(r.getKey());
            if (st == null) {
                st = namespace(r.getKey());
            }
            if (st != null) {
                return GetResponse.newBuilder().setStatus(st).build();
            }
            synchronized (store) {
                Stored s = store.get(digest(r.getKey()));
                if (s == null) {
                    return GetResponse.newBuilder().setStatus(status(ResultCode.KEY_NOT_FOUND, "no such record"))
                        .build();
                }
                io.partita.protocol.v1.Record.Builder rb = io.partita.protocol.v1.Record.newBuilder()
                    .setGeneration(s.generation).setVoidTimeMs(s.voidTimeMs).setLastUpdateMs(s.lastUpdateMs);
                if (!r.getHeaderOnly()) {
                    s.bins.forEach((name, v) -> {
                        if (r.getBinNamesCount() == 0 || r.getBinNamesList().contains(name)) {
                            rb.addBins(Bin.newBuilder().setName(name).setValue(v));
                        }
                    });
                }
                return GetResponse.newBuilder().setStatus(OK).setRecord(rb).build();
            }
        }

        DeleteResponse defaultDelete(DeleteRequest r) {
            Status st = leadership(r.getKey());
            if (st != null) {
                return DeleteResponse.newBuilder().setStatus(st).build();
            }
            synchronized (store) {
                ByteString d = digest(r.getKey());
                Stored s = store.get(d);
                Status gen = checkGeneration(s, r.getExpectedGeneration());
                if (gen != null) {
                    return DeleteResponse.newBuilder().setStatus(gen).build();
                }
                if (s == null) {
                    return DeleteResponse.newBuilder().setStatus(status(ResultCode.KEY_NOT_FOUND, "no such record"))
                        .build();
                }
                store.remove(d);
                return DeleteResponse.newBuilder().setStatus(OK).setExisted(true).build();
            }
        }

        private ExistsResponse defaultExists(ExistsRequest r) {
            Status st = leadership(r.getKey());
            if (st != null) {
                return ExistsResponse.newBuilder().setStatus(st).build();
            }
            boolean present = store.containsKey(digest(r.getKey()));
            return ExistsResponse.newBuilder()
                .setStatus(present ? OK : status(ResultCode.KEY_NOT_FOUND, "no such record"))
                .setExists(present).build();
        }

        TouchResponse defaultTouch(TouchRequest r) {
            Status st = leadership(r.getKey());
            if (st != null) {
                return TouchResponse.newBuilder().setStatus(st).build();
            }
            synchronized (store) {
                Stored s = store.get(digest(r.getKey()));
                if (s == null) {
                    return TouchResponse.newBuilder().setStatus(status(ResultCode.KEY_NOT_FOUND, "no such record"))
                        .build();
                }
                Status gen = checkGeneration(s, r.getOptions().getExpectedGeneration());
                if (gen != null) {
                    return TouchResponse.newBuilder().setStatus(gen).build();
                }
                s.generation++;
                applyTtl(s, r.getOptions());
                return TouchResponse.newBuilder().setStatus(OK).setGeneration(s.generation).build();
            }
        }

        @Override
        public void put(PutRequest request, StreamObserver<PutResponse> obs) {
            handle(request, obs, puts, onPut, this::defaultPut);
        }

        @Override
        public void get(GetRequest request, StreamObserver<GetResponse> obs) {
            handle(request, obs, gets, onGet, this::defaultGet);
        }

        @Override
        public void delete(DeleteRequest request, StreamObserver<DeleteResponse> obs) {
            handle(request, obs, deletes, onDelete, this::defaultDelete);
        }

        @Override
        public void exists(ExistsRequest request, StreamObserver<ExistsResponse> obs) {
            handle(request, obs, existsCalls, onExists, this::defaultExists);
        }

        @Override
        public void touch(TouchRequest request, StreamObserver<TouchResponse> obs) {
            handle(request, obs, touches, onTouch, this::defaultTouch);
        }

        /**
         * Serves each frame's operations through the unary handlers (so overrides apply alike); a handler failing
         * with a gRPC status fails the whole stream with it, as a broken connection would.
         */
        @Override
        public StreamObserver<OpFrame> multiplex(StreamObserver<ReplyFrame> replies) {
            AtomicBoolean failed = new AtomicBoolean();
            return new StreamObserver<>() {
                @Override
                public void onNext(OpFrame frame) {
                    frameSizes.add(frame.getOpsCount());
                    try {
                        frameGate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    for (Op op : frame.getOpsList()) {
                        long id = op.getId();
                        switch (op.getRequestCase()) {
                            case PUT -> put(op.getPut(), answer(id, Reply.Builder::setPut));
                            case GET -> get(op.getGet(), answer(id, Reply.Builder::setGet));
                            case DELETE -> delete(op.getDelete(), answer(id, Reply.Builder::setDelete));
                            case EXISTS -> exists(op.getExists(), answer(id, Reply.Builder::setExists));
                            case TOUCH -> touch(op.getTouch(), answer(id, Reply.Builder::setTouch));
                            default -> throw new AssertionError("empty op " + op);
                        }
                    }
                }

                private <R> StreamObserver<R> answer(long id, BiConsumer<Reply.Builder, R> set) {
                    return new StreamObserver<>() {
                        @Override
                        public void onNext(R r) {
                            Reply.Builder b = Reply.newBuilder().setId(id);
                            set.accept(b, r);
                            synchronized (replies) {
                                if (!failed.get()) {
                                    replies.onNext(ReplyFrame.newBuilder().addReplies(b).build());
                                }
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            synchronized (replies) {
                                if (failed.compareAndSet(false, true)) {
                                    replies.onError(t);
                                }
                            }
                        }

                        @Override
                        public void onCompleted() {
                        }
                    };
                }

                @Override
                public void onError(Throwable t) {
                    failed.set(true);
                }

                @Override
                public void onCompleted() {
                    synchronized (replies) {
                        if (failed.compareAndSet(false, true)) {
                            replies.onCompleted();
                        }
                    }
                }
            };
        }

        @Override
        public void getClusterMap(ClusterMapRequest request, StreamObserver<ClusterMap> obs) {
            mapFetches.incrementAndGet();
            if (mapsHang) {
                hung.add(obs);
                return;
            }
            long delay = mapDelayMs;
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ClusterMap own = ownMap;
            obs.onNext(own != null ? own : served.get());
            obs.onCompleted();
        }
    }
}
