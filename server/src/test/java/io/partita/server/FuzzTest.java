package io.partita.server;

import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Record;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.protocol.v1.SnapshotTransferGrpc;
import io.partita.protocol.v1.UsersGrpc;
import io.partita.server.config.NodeConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Seeded, time-bounded fuzzing of every front end of a real 3-node cluster: random and mutated protobuf messages to
 * every method of every gRPC service (records incl. the Multiplex stream, admin, snapshot transfer, including the
 * calls only nodes make), and raw bytes to every port (client gRPC, Raft, admin HTTP): truncated HTTP/2 frames, huge
 * length prefixes, deeply nested values, duplicate map keys, out-of-range numbers, invalid UTF-8, stalled and
 * half-open connections. Meanwhile a well-behaved client writes and reads its own keys.
 *
 * <p>Afterwards: every answer was typed (a gRPC status other than INTERNAL/UNKNOWN/DATA_LOSS, no SERVER_ERROR result
 * code, no stack trace), the well-behaved client read back exactly what it wrote, the records written before the run
 * are unchanged, no node logged an ERROR (or a WARN carrying a programming error such as
 * a NullPointerException), and every node is still ready.
 *
 * <p>What the fuzzer may not do: the checked records (the well-behaved client's and the fixed ones) live in namespace
 * {@value #KEPT}, and no fuzzed message containing the bytes {@value #KEPT} is sent, so no fuzzed request can name
 * them (a namespace is a length-delimited string, present verbatim on the wire). Admin messages naming a node
 * ({@code n1}..{@code n3}) or containing {@code ':'} (every host:port has one) are not sent either, so the fuzzer
 * cannot decommission a node, hand leadership off, or add or init with real hosts: calls that legitimately succeed
 * and would change the cluster under the checks. Unparseable variants of those messages are still sent.
 *
 * <p>The well-behaved client may see TIMEOUT, NOT_LEADER or in-doubt failures (counted, then settled by its next
 * read): the fuzzer may legitimately hand leadership off ({@code HandOffLeadership} takes no target), and on a loaded
 * two-core machine a JVM pause can cost a leader its lease. Any other failure or a wrong read fails the test.
 *
 * <p>{@code -Dfuzz.seed=N} replays a run's inputs (the interleaving with the cluster's threads differs);
 * {@code -Dfuzz.seconds=N} sets the duration (default {@value #DEFAULT_SECONDS}; the {@code faults-long} profile runs
 * 600). Every failure message prints the seed and the command to run it again.
 */
class FuzzTest {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(FuzzTest.class);
    static final String KEPT = "kept";
    static final int DEFAULT_SECONDS = 10;
    private static final byte[] KEPT_BYTES = KEPT.getBytes(StandardCharsets.US_ASCII);
    private static final List<byte[]> NODE_NAMES = List.of(bytes("n1"), bytes("n2"), bytes("n3"), bytes(":"));
    /** Exceptions that are bugs wherever they are logged. */
    private static final Set<String> BUGS = Set.of(NullPointerException.class.getName(),
            IndexOutOfBoundsException.class.getName(), ArrayIndexOutOfBoundsException.class.getName(),
            StringIndexOutOfBoundsException.class.getName(), ClassCastException.class.getName(),
            IllegalStateException.class.getName(), IllegalArgumentException.class.getName(),
            ArithmeticException.class.getName(), NegativeArraySizeException.class.getName(),
            UnsupportedOperationException.class.getName());
    /** Statuses a malformed call may end with; anything else (INTERNAL, UNKNOWN, DATA_LOSS, ...) is a finding. */
    private static final Set<Status.Code> TYPED = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.FAILED_PRECONDITION, Status.Code.PERMISSION_DENIED,
            Status.Code.UNAUTHENTICATED, Status.Code.NOT_FOUND, Status.Code.ALREADY_EXISTS, Status.Code.ABORTED,
            Status.Code.OUT_OF_RANGE, Status.Code.CANCELLED);
    @TempDir
    Path dir;

    private final List<String> findings = new CopyOnWriteArrayList<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong rawConnections = new AtomicLong();
    private final Map<String, AtomicLong> millisByMethod = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void everyFrontEndAnswersMalformedInputWithATypedErrorAndKeepsServing() throws Exception {
        long seed = Long.getLong("fuzz.seed", new Random().nextLong());
        int seconds = Integer.getInteger("fuzz.seconds", DEFAULT_SECONDS);
        String rerun = "seed " + seed + "; rerun: ./mvnw -o -pl server verify -Dtest=FuzzTest -Dfuzz.seed=" + seed
                + " -Dfuzz.seconds=" + seconds;
        LOG.info("Fuzzing for {} s with {}", seconds, rerun);

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> errors = new ListAppender<>();
        ThresholdFilter warnings = new ThresholdFilter();
        warnings.setLevel(Level.WARN.levelStr);
        warnings.start();
        errors.addFilter(warnings);
        errors.start();
        root.addAppender(errors);
        List<Socket> stalled = Collections.synchronizedList(new ArrayList<>());
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, 2, c -> c.withNamespaces(List.of(
                new NodeConfig.NamespaceConfig("test", 3, 0, 1 << 20),
                new NodeConfig.NamespaceConfig(KEPT, 3, 0, 1 << 20))));
             PartitaClient client = PartitaClient.connect(ClientConfig.builder()
                     .seeds(cluster.clientAddresses().toArray(String[]::new)).build())) {
            Map<Key, Map<String, Object>> fixed = new HashMap<>();
            for (int i = 0; i < 50; i++) {
                Key k = new Key(KEPT, "fixed", "f" + i);
                Map<String, Object> bins = Map.of("v", (long) i, "s", "fixed-" + i);
                client.put(k, bins);
                fixed.put(k, bins);
            }
            List<ManagedChannel> channels = new ArrayList<>();
            for (int i = 0; i < cluster.size(); i++) {
                channels.add(NettyChannelBuilder.forTarget(cluster.clientAddress(i)).usePlaintext().build());
            }
            List<int[]> ports = new ArrayList<>();
            for (int i = 0; i < cluster.size(); i++) {
                Node n = cluster.node(i);
                ports.add(new int[] {n.clientPort(), cluster.config(i).listen().raftPort(), n.adminPort()});
            }
            List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
            for (ServiceDescriptor s : List.of(PartitaGrpc.getServiceDescriptor(), AdminGrpc.getServiceDescriptor(),
                    SnapshotTransferGrpc.getServiceDescriptor(), UsersGrpc.getServiceDescriptor())) {
                methods.addAll(s.getMethods());
            }

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            AtomicBoolean running = new AtomicBoolean(true);
            WellBehaved good = new WellBehaved(client, running, new Random(~seed));
            Thread goodThread = new Thread(good, "fuzz-well-behaved");
            goodThread.start();
            List<Thread> fuzzers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Random random = new Random(seed + t);
                boolean raw = t == 1;
                Thread f = new Thread(() -> {
                    // Every method at least once, then at random.
                    for (int step = raw ? methods.size() : 0; System.nanoTime() < deadline; step++) {
                        try {
                            if (step < methods.size()) {
                                callMethod(random, channels.get(step % channels.size()), methods.get(step));
                            } else if (raw && random.nextInt(3) == 0) {
                                int[] p = ports.get(random.nextInt(ports.size()));
                                rawBytes(random, p[random.nextInt(3)], stalled);
                            } else {
                                int node = random.nextInt(channels.size());
                                callMethod(random, channels.get(node), methods.get(random.nextInt(methods.size())));
                            }
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception | AssertionError e) {
                            findings.add("the fuzzer itself failed: " + e + " at "
                                    + List.of(e.getStackTrace()).subList(0, Math.min(6, e.getStackTrace().length)));
                        }
                    }
                }, "fuzzer-" + t);
                fuzzers.add(f);
                f.start();
            }
            for (Thread f : fuzzers) {
                f.join();
            }
            running.set(false);
            goodThread.join();
            synchronized (stalled) {
                stalled.forEach(FuzzTest::closeQuietly);
            }
            channels.forEach(ManagedChannel::shutdownNow);
            LOG.info("Fuzzed {} calls and {} raw connections; the well-behaved client made {} writes and {} reads "
                    + "({} transient failures)", calls.get(), rawConnections.get(), good.writes, good.reads,
                    good.transientFailures);
            LOG.info("Time spent per method (ms): {}", millisByMethod);

            List<String> wrong = new ArrayList<>(good.wrong);
            for (Map.Entry<Key, Map<String, Object>> e : fixed.entrySet()) {
                Record r = client.get(e.getKey());
                if (r == null || !r.bins().equals(e.getValue()) || r.generation() != 1) {
                    wrong.add("fixed record " + e.getKey() + " changed: " + (r == null ? "gone" : r.generation()
                            + " " + r.bins()));
                }
            }
            for (int i = 0; i < cluster.size(); i++) {
                if (!cluster.node(i).awaitReady(Duration.ofSeconds(30))) {
                    wrong.add("node " + (i + 1) + " is not ready after the run");
                }
                HttpResponse<String> ready = probe(cluster.node(i).adminPort());
                if (ready.statusCode() != 200) {
                    wrong.add("node " + (i + 1) + " /ready answers " + ready.statusCode() + " " + ready.body());
                }
            }
            List<ILoggingEvent> logged;
            synchronized (errors) { // the appender adds under its own lock
                logged = List.copyOf(errors.list);
            }
            for (ILoggingEvent e : logged) {
                // Every ERROR; a WARN only when it carries a programming error (a peer's CANCELLED is expected).
                if (e.getLevel() != Level.ERROR && (e.getThrowableProxy() == null
                        || !BUGS.contains(e.getThrowableProxy().getClassName()))) {
                    continue;
                }
                wrong.add("logged " + e.getLevel() + " [" + e.getLoggerName() + "] " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : ": " + e.getThrowableProxy().getClassName() + ": "
                        + e.getThrowableProxy().getMessage()));
            }
            wrong.addAll(findings);
            stopInParallel(cluster); // each stop waits up to 5 s for calls still running (a fuzzed hand-off)
            if (good.writes == 0 || good.reads == 0) {
                wrong.add("the well-behaved client made no progress");
            }
            if (!wrong.isEmpty()) {
                wrong.forEach(w -> LOG.warn("Finding: {}", w));
                fail(rerun + "\n" + wrong.size() + " findings (first 30):\n"
                        + String.join("\n", wrong.subList(0, Math.min(30, wrong.size()))));
            }
        } finally {
            synchronized (stalled) {
                stalled.forEach(FuzzTest::closeQuietly);
            }
            root.detachAppender(errors);
        }
    }

    private static void stopInParallel(TestCluster cluster) throws InterruptedException {
        List<Thread> stops = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            int node = i;
            Thread t = new Thread(() -> cluster.stop(node), "fuzz-stop-n" + (i + 1));
            t.start();
            stops.add(t);
        }
        for (Thread t : stops) {
            t.join();
        }
    }

    /** The admin port's {@code /ready}, asked until it says ready or 10 s passed (an election may be under way). */
    private static HttpResponse<String> probe(int adminPort) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + adminPort + "/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (ready.statusCode() == 200 || System.nanoTime() > deadline) {
                return ready;
            }
            Thread.sleep(100);
        }
    }

    /** Writes and reads back its own keys in namespace {@value #KEPT}; records every wrong answer. */
    private static final class WellBehaved implements Runnable {
        final List<String> wrong = new CopyOnWriteArrayList<>();
        final PartitaClient client;
        final AtomicBoolean running;
        volatile long writes;
        volatile long reads;
        volatile long transientFailures;

        final Random random;

        WellBehaved(PartitaClient client, AtomicBoolean running, Random random) {
            this.client = client;
            this.running = running;
            this.random = random;
        }

        @Override
        public void run() {
            long[] expected = new long[20];
            long[] attempted = new long[20];
            long next = 1;
            while (running.get()) {
                int i = random.nextInt(expected.length);
                Key key = new Key(KEPT, "live", "k" + i);
                try {
                    if (random.nextBoolean()) {
                        attempted[i] = next++;
                        client.put(key, Map.of("v", attempted[i]));
                        expected[i] = attempted[i];
                        writes++;
                    } else {
                        Record r = client.get(key);
                        long seen = r == null ? 0 : r.getLong("v");
                        // After a failed write either value is right; the read settles which.
                        if (seen != expected[i] && seen != attempted[i]) {
                            wrong.add("read " + key + " = " + seen + ", wrote " + expected[i]);
                        }
                        expected[i] = seen;
                        attempted[i] = seen;
                        reads++;
                    }
                } catch (PartitaException e) {
                    // Timeouts and leadership moves are allowed (a fuzzed node may be slow); anything else is wrong.
                    if (e.resultCode() == ResultCode.TIMEOUT || e.resultCode() == ResultCode.NOT_LEADER
                            || e.inDoubt()) {
                        transientFailures++;
                    } else {
                        wrong.add("well-behaved " + key + " failed: " + e);
                    }
                } catch (RuntimeException e) {
                    wrong.add("well-behaved " + key + " failed unexpectedly: " + e);
                    return;
                }
            }
        }
    }

    private void callMethod(Random random, ManagedChannel channel, MethodDescriptor<?, ?> method)
            throws InterruptedException {
        Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller())
                .getMessagePrototype();
        boolean clientStreams = !method.getType().clientSendsOneMessage();
        List<byte[]> requests = new ArrayList<>();
        int count = clientStreams ? 1 + random.nextInt(3) : 1;
        for (int i = 0; i < count; i++) {
            byte[] request = Inputs.mutate(random,
                    Inputs.message(random, prototype.newBuilderForType(), 0).toByteArray());
            if (Inputs.names(request, KEPT_BYTES) || method.getServiceName().endsWith(".Admin")
                    && NODE_NAMES.stream().anyMatch(n -> Inputs.names(request, n))) {
                return; // could name the checked records or a real node (see the class comment)
            }
            requests.add(request);
        }
        boolean stall = random.nextInt(20) == 0; // never half-close: the server must not wait for it forever
        MethodDescriptor<byte[], byte[]> raw = RawMessages.of(method);
        ClientCall<byte[], byte[]> call = channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(2,
                TimeUnit.SECONDS));
        CompletableFuture<Status> closed = new CompletableFuture<>();
        List<byte[]> responses = new ArrayList<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                responses.add(message);
                if (responses.size() < 100) {
                    call.request(1);
                } else {
                    call.cancel("enough", null);
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(1);
        calls.incrementAndGet();
        for (byte[] r : requests) {
            call.sendMessage(r);
        }
        if (!stall) {
            call.halfClose();
        }
        Status status;
        long started = System.nanoTime();
        try {
            status = closed.get(5, TimeUnit.SECONDS);
            millisByMethod.computeIfAbsent(method.getBareMethodName(), k -> new AtomicLong())
                    .addAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            call.cancel("fuzz: no answer", null);
            findings.add(method.getFullMethodName() + " did not close within 5 s despite a 2 s deadline: "
                    + Inputs.hex(requests.get(0)));
            return;
        }
        String input = Inputs.hex(requests.get(0));
        boolean mayOutlive = !method.getType().serverSendsOneMessage() || stall
                || method.equals(AdminGrpc.getHandOffLeadershipMethod());
        if (!TYPED.contains(status.getCode())
                && !(status.getCode() == Status.Code.DEADLINE_EXCEEDED && mayOutlive)) {
            findings.add(method.getFullMethodName() + " answered " + status + " to " + input);
        }
        if (status.getDescription() != null && status.getDescription().contains("\tat ")) {
            findings.add(method.getFullMethodName() + " sent a stack trace: " + status.getDescription());
        }
        Message responsePrototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>)
                method.getResponseMarshaller()).getMessagePrototype();
        for (byte[] response : responses) {
            try {
                String bad = Inputs.serverError(responsePrototype.getParserForType().parseFrom(response));
                if (bad != null) {
                    findings.add(method.getFullMethodName() + " answered SERVER_ERROR (" + bad + ") to " + input);
                }
            } catch (InvalidProtocolBufferException e) {
                findings.add(method.getFullMethodName() + " sent an unparseable response");
            }
        }
    }

    /** One raw connection: garbage, a broken HTTP/2 or HTTP/1.1 conversation, or a connection left stalled. */
    private void rawBytes(Random random, int port, List<Socket> stalled) {
        rawConnections.incrementAndGet();
        Socket s = new Socket();
        boolean keep = false;
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(300);
            OutputStream out = s.getOutputStream();
            out.write(Inputs.rawPayload(random));
            out.flush();
            switch (random.nextInt(4)) {
                case 0 -> s.shutdownOutput(); // half-open
                case 1 -> keep = stalled.size() < 6; // stalled until the end of the run
                default -> {
                }
            }
            if (!keep) {
                s.getInputStream().read(new byte[4096]); // whatever it answers, or a timeout
            }
        } catch (IOException e) {
            // Refused, reset or timed out: all fine for garbage.
        } finally {
            if (keep) {
                stalled.add(s);
            } else {
                closeQuietly(s);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing a fuzzed connection
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Random inputs: protobuf messages by reflection, mutations of their encoding, raw connection payloads. */
    static final class Inputs {
        private static final String[] STRINGS = {"", "test", "test", "fz", "a", "b", "v", "x".repeat(64),
                "\u0000", "é", "\uD83D\uDE00", "n", "*", "../../etc", "\u202E", "test\u0000"};
        private static final long[] NUMBERS = {0, 1, -1, 2, 3, 4095, 4096, 4097, Integer.MAX_VALUE,
                Integer.MIN_VALUE, 0xFFFFFFFFL, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 31, 1L << 32, 100, 65_536};

        private Inputs() {
        }

        static Message message(Random random, Message.Builder b, int depth) {
            for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
                if (random.nextInt(3) == 0) {
                    continue;
                }
                if (f.isRepeated()) {
                    int n = random.nextInt(depth > 3 ? 2 : 4);
                    for (int i = 0; i < n; i++) {
                        Object v = value(random, b, f, depth);
                        if (v != null) {
                            b.addRepeatedField(f, v);
                        }
                    }
                } else {
                    Object v = value(random, b, f, depth);
                    if (v != null) {
                        b.setField(f, v);
                    }
                }
            }
            return b.build();
        }

        private static Object value(Random random, Message.Builder parent, FieldDescriptor f, int depth) {
            return switch (f.getJavaType()) {
                case INT -> f.getName().equals("code") && random.nextBoolean() ? random.nextInt(40)
                        : (int) number(random);
                case LONG -> number(random);
                case FLOAT -> random.nextFloat();
                case DOUBLE -> random.nextInt(4) == 0 ? Double.NaN : random.nextGaussian() * 1e6;
                case BOOLEAN -> random.nextBoolean();
                // Mostly valid names, so that requests get past the first checks into deeper code.
                case STRING -> f.getName().equals("namespace") && random.nextInt(10) < 7 ? "test"
                        : f.getName().equals("set") && random.nextBoolean() ? "fz"
                        : STRINGS[random.nextInt(STRINGS.length)];
                case BYTE_STRING -> {
                    byte[] bytes = new byte[random.nextBoolean() ? 20 : random.nextInt(40)]; // 20: a digest
                    random.nextBytes(bytes);
                    yield ByteString.copyFrom(bytes);
                }
                case ENUM -> {
                    EnumDescriptor e = f.getEnumType();
                    yield random.nextBoolean() ? e.getValues().get(random.nextInt(e.getValues().size()))
                            : e.findValueByNumberCreatingIfUnknown((int) number(random));
                }
                case MESSAGE -> {
                    if (f.getMessageType().getName().equals("Value") && random.nextInt(10) == 0) {
                        yield deepValue(random, parent.newBuilderForField(f), 20 + random.nextInt(120));
                    }
                    yield depth > 6 ? null : message(random, parent.newBuilderForField(f), depth + 1);
                }
            };
        }

        /** A list or map value nested {@code depth} deep (map entries reuse one key: duplicate keys). */
        private static Message deepValue(Random random, Message.Builder valueBuilder, int depth) {
            Message one = valueBuilder.clone().setField(valueBuilder.getDescriptorForType().findFieldByName(
                    "long_value"), 1L).build();
            Message v = one;
            for (int i = 0; i < depth; i++) {
                Message.Builder b = valueBuilder.clone().clear();
                FieldDescriptor list = b.getDescriptorForType().findFieldByName("list_value");
                FieldDescriptor map = b.getDescriptorForType().findFieldByName("map_value");
                if (random.nextBoolean()) {
                    Message.Builder l = b.newBuilderForField(list);
                    l.addRepeatedField(l.getDescriptorForType().findFieldByName("items"), v);
                    b.setField(list, l.build());
                } else { // the nested value under key 1, then key 1 again with a small value
                    Message.Builder m = b.newBuilderForField(map);
                    FieldDescriptor entries = m.getDescriptorForType().findFieldByName("entries");
                    Message.Builder entry = m.newBuilderForField(entries);
                    entry.setField(entry.getDescriptorForType().findFieldByName("key"), one);
                    entry.setField(entry.getDescriptorForType().findFieldByName("value"), v);
                    m.addRepeatedField(entries, entry.build());
                    entry.setField(entry.getDescriptorForType().findFieldByName("value"), one);
                    m.addRepeatedField(entries, entry.build());
                    b.setField(map, m.build());
                }
                v = b.build();
            }
            return v;
        }

        private static long number(Random random) {
            return random.nextBoolean() ? NUMBERS[random.nextInt(NUMBERS.length)]
                    : random.nextLong() >> random.nextInt(64);
        }

        /** Half the time the encoding as is; else flipped bytes, a cut, a huge length prefix, invalid UTF-8, ... */
        static byte[] mutate(Random random, byte[] in) {
            if (random.nextBoolean()) {
                return in;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = in.length == 0 ? 0 : random.nextInt(in.length + 1);
            switch (random.nextInt(6)) {
                case 0 -> {
                    byte[] copy = in.clone();
                    for (int i = 0; i < 1 + random.nextInt(4) && copy.length > 0; i++) {
                        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                    return copy;
                }
                case 1 -> out.write(in, 0, at); // truncated
                case 2 -> { // a field whose length prefix promises far more than follows
                    out.write(in, 0, at);
                    out.writeBytes(new byte[] {(byte) ((1 + random.nextInt(8)) << 3 | 2), (byte) 0xFF, (byte) 0xFF,
                            (byte) 0xFF, (byte) 0xFF, 0x0F});
                    out.write(in, at, in.length - at);
                }
                case 3 -> { // invalid UTF-8 where a string may be
                    byte[] copy = in.clone();
                    if (copy.length > 0) {
                        copy[random.nextInt(copy.length)] = (byte) (random.nextBoolean() ? 0xFF : 0xC0);
                    }
                    return copy;
                }
                case 4 -> { // a repeated slice: duplicate fields and map entries
                    out.writeBytes(in);
                    out.write(in, at, in.length - at);
                }
                default -> {
                    out.writeBytes(in);
                    byte[] tail = new byte[random.nextInt(32)];
                    random.nextBytes(tail);
                    out.writeBytes(tail);
                }
            }
            return out.toByteArray();
        }

        static byte[] rawPayload(Random random) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            switch (random.nextInt(6)) {
                case 0 -> out.write(preface, 0, random.nextInt(preface.length)); // truncated preface
                case 1 -> { // preface, then a frame header announcing a huge frame, then a little of it
                    out.writeBytes(preface);
                    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) random.nextInt(10), 0,
                            0, 0, 0, (byte) random.nextInt(4)});
                    out.writeBytes(new byte[random.nextInt(64)]);
                }
                case 2 -> { // preface, then random frames cut anywhere
                    out.writeBytes(preface);
                    byte[] frames = new byte[random.nextInt(200)];
                    random.nextBytes(frames);
                    out.writeBytes(frames);
                }
                case 3 -> out.writeBytes(("GET /" + "x".repeat(random.nextInt(3) == 0 ? 70_000 : 5)
                        + " HTTP/1.1\r\nHost: a\r\nContent-Length: 999999999\r\n" + (random.nextBoolean() ? "\r\n"
                        : "X: \u00ff\u0000")).getBytes(StandardCharsets.ISO_8859_1));
                case 4 -> { // a TLS record header promising a large ClientHello
                    out.writeBytes(new byte[] {0x16, 0x03, 0x01, 0x7F, (byte) 0xFF, 0x01, 0x00, 0x7F, (byte) 0xFB});
                    byte[] rest = new byte[random.nextInt(100)];
                    random.nextBytes(rest);
                    out.writeBytes(rest);
                }
                default -> {
                    byte[] garbage = new byte[1 + random.nextInt(512)];
                    random.nextBytes(garbage);
                    out.writeBytes(garbage);
                }
            }
            return out.toByteArray();
        }

        /** Whether {@code needle} occurs in {@code haystack}. */
        static boolean names(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        /** The message of the first partita.v1.Status inside {@code m} with code SERVER_ERROR, or null. */
        static String serverError(Message m) {
            if (m.getDescriptorForType().getFullName().equals("partita.v1.Status")) {
                Object code = m.getField(m.getDescriptorForType().findFieldByName("code"));
                return ((Number) code).intValue() == ResultCode.SERVER_ERROR.code()
                        ? String.valueOf(m.getField(m.getDescriptorForType().findFieldByName("message"))) : null;
            }
            for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
                if (e.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                    continue;
                }
                List<?> values = e.getKey().isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue());
                for (Object v : values) {
                    String bad = serverError((Message) v);
                    if (bad != null) {
                        return bad;
                    }
                }
            }
            return null;
        }

        static String hex(byte[] b) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < Math.min(b.length, 200); i++) {
                s.append(String.format("%02x", b[i]));
            }
            return s + (b.length > 200 ? "... (" + b.length + " bytes)" : "");
        }
    }
}
