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
import io.grpc.InternalMetadata;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Record;
import io.partita.protocol.ResultCode;
import io.partita.protocol.auth.SessionHeader;
import io.partita.protocol.testing.TestCertificates;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.tls.TlsMaterial;
import io.partita.protocol.tls.TlsSettings;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.CreateUserRequest;
import io.partita.protocol.v1.DescribeNodeRequest;
import io.partita.protocol.v1.Grant;
import io.partita.protocol.v1.LoginRequest;
import io.partita.protocol.v1.LoginResponse;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.protocol.v1.SessionClaims;
import io.partita.protocol.v1.SnapshotTransferGrpc;
import io.partita.protocol.v1.UserChangeResponse;
import io.partita.protocol.v1.UsersGrpc;
import io.partita.server.config.NodeConfig;
import io.partita.server.security.SessionTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
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
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Seeded, time-bounded fuzzing of every front end of a real 3-node cluster: random and mutated protobuf messages to
 * every method of every gRPC service (records incl. the Multiplex stream, admin, snapshot transfer, users, including
 * the calls only nodes make), and raw bytes to every port (client gRPC, Raft, admin HTTP): truncated HTTP/2 frames,
 * huge length prefixes, deeply nested values, duplicate map keys, out-of-range numbers, invalid UTF-8, stalled and
 * half-open connections. Meanwhile a well-behaved client writes and reads its own keys.
 *
 * <p>Two kinds of cluster run the same body: plaintext without users, and TLS with users and roles
 * ({@code security.enabled}). With users, each fuzzed call is made as one of several callers ({@link Caller}): no
 * certificate and no token, a client certificate without a token, a forged or broken session token, a user who may
 * read one set only, a user who may administer users only, and a node's certificate (so node-only handlers get
 * fuzzed bodies); raw connections are TLS garbage, a handshake cut short or left stalled, or a whole handshake
 * followed by garbage.
 *
 * <p>Afterwards: every answer was typed (a gRPC status other than INTERNAL/UNKNOWN/DATA_LOSS, no SERVER_ERROR result
 * code, no stack trace), the well-behaved client read back exactly what it wrote, the records written before the run
 * are unchanged, no node logged an ERROR (or a WARN carrying a programming error such as
 * a NullPointerException), and every node is still ready. With users also: a caller without a valid identity was
 * refused every call that needs one, and no limited caller ({@link Reach}) got a record outside its grant, the
 * token key or a password hash, had a write applied, or changed the cluster.
 *
 * <p>What the fuzzer may not do: the checked records (the well-behaved client's and the fixed ones) live in namespace
 * {@value #KEPT}, and no fuzzed message containing the bytes {@value #KEPT} is sent by a caller who may write, so no
 * such request can name them (a namespace is a length-delimited string, present verbatim on the wire); the callers
 * who may not write name them on purpose. Admin messages naming a node ({@code n1}..{@code n3}) or containing
 * {@code ':'} (every host:port has one) are not sent either, so the fuzzer cannot decommission a node, hand
 * leadership off, or add or init with real hosts: calls that legitimately succeed and would change the cluster under
 * the checks. For the same reason no {@code Users} message naming one of the run's own users ({@link #OWN_USERS}) is
 * sent: a fuzzed drop, password change or revoke would lock the well-behaved client out, and a grant would widen what
 * the limited callers are checked against. Unparseable variants of those messages are still sent.
 *
 * <p>The well-behaved client may see TIMEOUT, NOT_LEADER or in-doubt failures (counted, then settled by its next
 * read): the fuzzer may legitimately hand leadership off ({@code HandOffLeadership} takes no target), and on a loaded
 * two-core machine a JVM pause can cost a leader its lease. Any other failure or a wrong read fails the test.
 *
 * <p>{@code -Dfuzz.seed=N} replays a run's inputs (the interleaving with the cluster's threads differs);
 * {@code -Dfuzz.seconds=N} sets the duration of each kind (default {@value #DEFAULT_SECONDS}; the
 * {@code faults-long} profile runs 600). Every failure message prints the seed and the command to run it again.
 */
class FuzzTest {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(FuzzTest.class);
    static final String KEPT = "kept";
    static final int DEFAULT_SECONDS = 10;
    /** A bin value of records no limited caller may read (in sets other than {@value #READABLE_SET}). */
    static final String SECRET = "secret-7f3a91c2";
    /** The one set the reading user may read, and the set fuzzed messages name half the time. */
    static final String READABLE_SET = "fz";
    static final String GOOD_USER = "good-client";
    static final String READER = "low-reader";
    static final String USER_ADMIN = "fz-useradmin";
    /** The run's own users: the first one, the well-behaved client, and the two limited callers. */
    static final List<String> OWN_USERS = List.of("admin", GOOD_USER, READER, USER_ADMIN);
    private static final byte[] KEPT_BYTES = KEPT.getBytes(StandardCharsets.US_ASCII);
    private static final List<byte[]> NODE_NAMES = List.of(bytes("n1"), bytes("n2"), bytes("n3"), bytes(":"));
    private static final List<byte[]> OWN_USER_NAMES = OWN_USERS.stream().map(FuzzTest::bytes).toList();
    /** Where secret records are written (namespace test, and {@value #KEPT}): sets and keys fuzzed keys often name. */
    private static final List<String> SECRET_SETS = List.of("", "a", "b", "test", "v");
    private static final List<Object> SECRET_KEYS = List.of("a", "b", "v", "n", "test", "fz", 0L, 1L, 2L, -1L);
    private static final int SECRET_STRING_KEYS = 6;
    /** The token header with its value as raw bytes: grpc's ASCII marshaller would turn non-ASCII into '?'. */
    private static final Metadata.Key<byte[]> RAW_TOKEN = InternalMetadata.keyOf(SessionHeader.TOKEN.name(),
            new InternalMetadata.TrustedAsciiMarshaller<byte[]>() {
                @Override
                public byte[] toAsciiString(byte[] value) {
                    return value;
                }

                @Override
                public byte[] parseAsciiString(byte[] serialized) {
                    return serialized;
                }
            });
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
    /** Calls a caller without a user or node certificate may make (AuthInterceptor's list, stated independently). */
    private static final Set<String> NO_CALLER_NEEDED = Set.of("Login", "DescribeNode", "NodeStatus", "InitCluster",
            "JoinCluster", "FetchSnapshot");
    /** Calls that change the cluster or copy all of its data out: sys-admin or data-admin for the whole cluster. */
    private static final Set<String> CLUSTER_CALLS = Set.of("AddNode", "DecommissionNode", "HandOffLeadership",
            "ExportGroup");
    @TempDir
    Path dir;

    private final List<String> findings = new CopyOnWriteArrayList<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong rawConnections = new AtomicLong();
    private final Map<String, AtomicLong> millisByMethod = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, AtomicLong> callsByCaller = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void everyFrontEndAnswersMalformedInputWithATypedErrorAndKeepsServing() throws Exception {
        fuzz("everyFrontEndAnswersMalformedInputWithATypedErrorAndKeepsServing", Fixture::plain);
    }

    @Test
    void withTlsAndUsersEveryCallerGetsTypedAnswersAndNothingBeyondItsGrant() throws Exception {
        fuzz("withTlsAndUsersEveryCallerGetsTypedAnswersAndNothingBeyondItsGrant", Fixture::secure);
    }

    /** What a fixture is started by. */
    private interface Starter {
        Fixture start(Path dir) throws Exception;
    }

    private void fuzz(String testMethod, Starter kind) throws Exception {
        long seed = Long.getLong("fuzz.seed", new Random().nextLong());
        int seconds = Integer.getInteger("fuzz.seconds", DEFAULT_SECONDS);
        String rerun = "seed " + seed + "; rerun: ./mvnw -o -pl server -am verify -Dtest='FuzzTest#" + testMethod
                + "' -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.seed=" + seed + " -Dfuzz.seconds=" + seconds;
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
        try (Fixture fixture = kind.start(dir)) {
            TestCluster cluster = fixture.cluster;
            PartitaClient client = fixture.client;
            Map<Key, Map<String, Object>> fixed = new HashMap<>();
            for (int i = 0; i < 50; i++) {
                Key k = new Key(KEPT, "fixed", "f" + i);
                Map<String, Object> bins = Map.of("v", (long) i, "s", "fixed-" + i);
                client.put(k, bins);
                fixed.put(k, bins);
            }
            // Records the limited callers must never see; those in KEPT are checked like the fixed ones.
            for (String set : SECRET_SETS) {
                for (Object userKey : SECRET_KEYS) {
                    for (String ns : List.of("test", KEPT)) {
                        Key k = userKey instanceof Long l ? new Key(ns, set, l) : new Key(ns, set, (String) userKey);
                        client.put(k, Map.of("s", SECRET));
                        if (ns.equals(KEPT)) {
                            fixed.put(k, Map.of("s", SECRET));
                        }
                    }
                }
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
            List<Caller> callers = fixture.callers;

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
                                Caller caller = callers.get(step % callers.size());
                                callMethod(random, caller, step % cluster.size(), methods.get(step));
                            } else if (raw && random.nextInt(3) == 0) {
                                int[] p = ports.get(random.nextInt(ports.size()));
                                rawBytes(random, p[random.nextInt(3)], stalled, fixture.tls);
                            } else {
                                Caller caller = callers.get(random.nextInt(callers.size()));
                                List<MethodDescriptor<?, ?>> from = caller.favourites.isEmpty()
                                        || random.nextBoolean() ? methods : caller.favourites;
                                callMethod(random, caller, random.nextInt(cluster.size()),
                                        from.get(random.nextInt(from.size())));
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
            LOG.info("Fuzzed {} calls and {} raw connections; the well-behaved client made {} writes and {} reads "
                    + "({} transient failures)", calls.get(), rawConnections.get(), good.writes, good.reads,
                    good.transientFailures);
            LOG.info("Time spent per method (ms): {}; calls per caller: {}", millisByMethod, callsByCaller);

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
                HttpResponse<String> ready = probe(fixture, cluster.node(i).adminPort());
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

    /** What a caller may reach, and so what its answers are checked for beyond being typed. */
    enum Reach {
        /** Everything (no users, or a node's certificate). */
        ALL,
        /** A user without data-admin or sys-admin, reading at most {@value #READABLE_SET} of namespace test. */
        LIMITED,
        /** No user and no node certificate: every call that needs a caller is refused. */
        NOBODY,
        /** A token that does not check out: every call but a login is refused. */
        FORGED;

        /** Whether {@code method} must be refused as UNAUTHENTICATED for this caller. */
        boolean unauthenticated(String method) {
            return this == NOBODY && !NO_CALLER_NEEDED.contains(method) || this == FORGED && !method.equals("Login");
        }
    }

    /**
     * Who fuzzed calls are made as: a channel to each node (plaintext, or TLS with or without a certificate), the
     * session token sent in the {@code partita-token} header (drawn per call; no header for a null function or
     * result), what the caller may reach and the bytes no answer to it may contain (a limited caller's), the strings
     * its messages are made of, and methods it calls half the time.
     */
    private record Caller(String name, List<ManagedChannel> channels, Function<Random, String> token, Reach reach,
                          List<byte[]> mustNotSee, Words words, List<MethodDescriptor<?, ?>> favourites) {
    }

    /**
     * The strings fuzzed messages are made of, by field name: mostly valid names, so that requests get past the first
     * checks into deeper code. {@code namespaces} are named 70% of the time; {@code token} (null: any string) makes a
     * Multiplex frame's token.
     */
    private record Words(List<String> namespaces, Function<Random, String> token) {
        String of(Random random, String field) {
            return switch (field) {
                case "namespace" -> random.nextInt(10) < 7 ? namespaces.get(random.nextInt(namespaces.size()))
                        : Inputs.any(random, Inputs.STRINGS);
                // Often where the secret records are, so that a read a limited caller should be refused finds one.
                case "set" -> switch (random.nextInt(3)) {
                    case 0 -> READABLE_SET;
                    case 1 -> SECRET_SETS.get(random.nextInt(SECRET_SETS.size()));
                    default -> Inputs.any(random, Inputs.STRINGS);
                };
                case "string_key" -> random.nextBoolean() ? String.valueOf(SECRET_KEYS.get(random.nextInt(SECRET_STRING_KEYS)))
                        : Inputs.any(random, Inputs.STRINGS);
                case "token" -> token != null && random.nextBoolean() ? token.apply(random)
                        : Inputs.any(random, Inputs.STRINGS);
                case "user" -> Inputs.any(random, Inputs.USERS);
                case "password" -> Inputs.any(random, Inputs.PASSWORDS);
                case "role" -> Inputs.any(random, Inputs.ROLES);
                default -> Inputs.any(random, Inputs.STRINGS);
            };
        }
    }

    /**
     * One kind of cluster, started: the cluster, the well-behaved client, the callers of fuzzed calls, TLS contexts
     * for raw connections (none: plaintext ports), and what {@code /ready} is asked with.
     */
    private static final class Fixture implements AutoCloseable {
        final List<ManagedChannel> channels = new ArrayList<>();
        final List<Caller> callers = new ArrayList<>();
        TestCluster cluster;
        PartitaClient client;
        List<SSLContext> tls = List.of();
        HttpClient http = HttpClient.newHttpClient();
        String scheme = "http";

        /** Plaintext, no users: every call is made by an anonymous caller that may do everything. */
        static Fixture plain(Path dir) throws Exception {
            Fixture f = new Fixture();
            try {
                f.cluster = TestCluster.start(dir, 3, 3, 2, FuzzTest::namespaces);
                f.client = PartitaClient.connect(ClientConfig.builder().seeds(f.seeds()).build());
                f.callers.add(new Caller("anonymous", f.channelsOf(ChannelFactory.plaintext()), null, Reach.ALL,
                        List.of(), new Words(List.of("test"), null), List.of()));
                return f;
            } catch (Exception | Error e) {
                f.close();
                throw e;
            }
        }

        /**
         * TLS (client certificates optional, so that callers with none get past the handshake) and users. The
         * well-behaved client logs in as a read-write user; the class comment lists the callers.
         */
        static Fixture secure(Path dir) throws Exception {
            Fixture f = new Fixture();
            try {
                TestCertificates ca = TestCertificates.ca(dir.resolve("tls"), "ca");
                f.cluster = TestCluster.start(dir, 3, 3, 2, c -> TestCluster.withTlsAndUsers(ca).apply(namespaces(c)));
                TlsSettings trusting = TlsSettings.trusting(ca.certFile());
                TestCertificates.Pair clientCert = ca.issueClient("fz-client", Duration.ofDays(1));
                TlsSettings withClientCert = trusting.withIdentity(clientCert.cert(), clientCert.key());
                f.tls = List.of(TlsMaterial.load(trusting).clientContext(),
                        TlsMaterial.load(withClientCert).clientContext(),
                        TlsMaterial.load(f.cluster.config(1).tls().settings()).clientContext());
                f.http = HttpClient.newBuilder().sslContext(f.tls.get(0)).build();
                f.scheme = "https";

                List<ManagedChannel> anonymous = f.channelsOf(ChannelFactory.of(trusting));
                List<ManagedChannel> asNode = f.channelsOf(ChannelFactory.of(f.cluster.config(1).tls().settings()));
                String adminPassword = f.cluster.awaitAdminPassword(ChannelFactory.of(trusting));
                UsersGrpc.UsersBlockingStub admin = withToken(UsersGrpc.newBlockingStub(anonymous.get(0)),
                        login(anonymous.get(0), "admin", adminPassword));
                createUser(admin, GOOD_USER, Grant.newBuilder().setRole("read-write").build());
                createUser(admin, READER, Grant.newBuilder().setRole("read").setNamespace("test")
                        .setSet(READABLE_SET).build());
                createUser(admin, USER_ADMIN, Grant.newBuilder().setRole("user-admin").build());
                f.client = PartitaClient.connect(ClientConfig.builder().seeds(f.seeds()).tls(ca.certFile())
                        .user(GOOD_USER, "pw-" + GOOD_USER).build());

                String reader = login(anonymous.get(0), READER, "pw-" + READER);
                byte[] tokenKey = AdminGrpc.newBlockingStub(asNode.get(0)).describeNode(
                        DescribeNodeRequest.getDefaultInstance()).getPlan().getSecurity().getTokenKey().toByteArray();
                Function<Random, String> forged = r -> Inputs.forgedToken(r, reader, tokenKey);
                List<byte[]> secrets = List.of(bytes(SECRET), tokenKey, bytes("$2y$")); // $2y$: a bcrypt hash
                Words limited = new Words(List.of("test", KEPT), forged);
                f.callers.add(new Caller("no certificate, no token", anonymous, null, Reach.NOBODY, secrets, limited,
                        List.of()));
                f.callers.add(new Caller("client certificate, no token", f.channelsOf(ChannelFactory.of(
                        withClientCert)), null, Reach.NOBODY, secrets, limited, List.of()));
                f.callers.add(new Caller("forged token", anonymous, forged, Reach.FORGED, secrets, limited, List.of()));
                // Its frames (OpFrame.token) carry its own token or broken ones: never another identity's.
                f.callers.add(new Caller("user " + READER + " (read " + READABLE_SET + ")", anonymous, r -> reader,
                        Reach.LIMITED, secrets, new Words(List.of("test", KEPT), r -> r.nextBoolean() ? reader
                        : forged.apply(r)), List.copyOf(PartitaGrpc.getServiceDescriptor().getMethods())));
                String userAdmin = login(anonymous.get(0), USER_ADMIN, "pw-" + USER_ADMIN);
                f.callers.add(new Caller("user " + USER_ADMIN + " (user-admin)", anonymous, r -> userAdmin,
                        Reach.LIMITED, secrets, limited, List.copyOf(UsersGrpc.getServiceDescriptor().getMethods())));
                f.callers.add(new Caller("node n2's certificate", asNode, null, Reach.ALL, List.of(),
                        new Words(List.of("test"), forged), List.of()));
                return f;
            } catch (Exception | Error e) {
                f.close();
                throw e;
            }
        }

        /** A channel to each node. */
        List<ManagedChannel> channelsOf(ChannelFactory factory) {
            List<ManagedChannel> out = new ArrayList<>();
            for (int i = 0; i < cluster.size(); i++) {
                out.add(factory.forTarget(cluster.clientAddress(i)).build());
            }
            channels.addAll(out);
            return out;
        }

        String[] seeds() {
            return cluster.clientAddresses().toArray(String[]::new);
        }

        @Override
        public void close() {
            channels.forEach(ManagedChannel::shutdownNow);
            if (client != null) {
                client.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private static NodeConfig namespaces(NodeConfig c) {
        return c.withNamespaces(List.of(new NodeConfig.NamespaceConfig("test", 3, 0, 1 << 20),
                new NodeConfig.NamespaceConfig(KEPT, 3, 0, 1 << 20)));
    }

    private static String login(ManagedChannel channel, String user, String password) {
        LoginResponse r = UsersGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).login(
                LoginRequest.newBuilder().setUser(user).setPassword(password).build());
        if (r.getStatus().getCode() != ResultCode.OK.code()) {
            throw new IllegalStateException("login of " + user + " failed: " + r.getStatus());
        }
        return r.getToken();
    }

    private static void createUser(UsersGrpc.UsersBlockingStub admin, String user, Grant grant) {
        UserChangeResponse r = admin.withDeadlineAfter(10, TimeUnit.SECONDS).createUser(CreateUserRequest.newBuilder()
                .setUser(user).setPassword("pw-" + user).addGrants(grant).build());
        if (r.getStatus().getCode() != ResultCode.OK.code()) {
            throw new IllegalStateException("creating user " + user + " failed: " + r.getStatus());
        }
    }

    private static <S extends io.grpc.stub.AbstractStub<S>> S withToken(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(SessionHeader.TOKEN, token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
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
    private static HttpResponse<String> probe(Fixture fixture, int adminPort) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<String> ready = fixture.http.send(HttpRequest.newBuilder(URI.create(fixture.scheme
                    + "://127.0.0.1:" + adminPort + "/ready")).timeout(Duration.ofSeconds(5)).build(),
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

    private void callMethod(Random random, Caller caller, int node, MethodDescriptor<?, ?> method)
            throws InterruptedException {
        Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller())
                .getMessagePrototype();
        boolean clientStreams = !method.getType().clientSendsOneMessage();
        String service = method.getServiceName();
        List<byte[]> requests = new ArrayList<>();
        int count = clientStreams ? 1 + random.nextInt(3) : 1;
        for (int i = 0; i < count; i++) {
            Message message = Inputs.message(random, prototype.newBuilderForType(), 0, caller.words);
            // Half of a limited caller's messages are well-formed and name a secret record: fuzzed keys rarely do.
            byte[] request = caller.reach == Reach.LIMITED && random.nextBoolean()
                    ? Inputs.aimed(random, message).toByteArray() : Inputs.mutate(random, message.toByteArray());
            if (caller.reach == Reach.ALL && Inputs.names(request, KEPT_BYTES)
                    || service.endsWith(".Admin") && NODE_NAMES.stream().anyMatch(n -> Inputs.names(request, n))
                    || service.endsWith(".Users") && OWN_USER_NAMES.stream().anyMatch(n -> Inputs.names(request, n))) {
                return; // could name the checked records, a real node or one of the run's users (see the class comment)
            }
            requests.add(request);
        }
        String token = caller.token == null ? null : caller.token.apply(random);
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(RAW_TOKEN, token.getBytes(StandardCharsets.UTF_8));
        }
        // gRPC drops a header value beyond printable ASCII before sending: the call then goes without a token.
        Reach reach = caller.reach == Reach.FORGED && !token.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)
                ? Reach.NOBODY : caller.reach;
        boolean stall = random.nextInt(20) == 0; // never half-close: the server must not wait for it forever
        MethodDescriptor<byte[], byte[]> raw = RawMessages.of(method);
        ClientCall<byte[], byte[]> call = caller.channels.get(node).newCall(raw,
                CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS));
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
        }, headers);
        call.request(1);
        calls.incrementAndGet();
        callsByCaller.computeIfAbsent(caller.name, k -> new AtomicLong()).incrementAndGet();
        for (byte[] r : requests) {
            call.sendMessage(r);
        }
        if (!stall) {
            call.halfClose();
        }
        Status status;
        long started = System.nanoTime();
        String bare = method.getBareMethodName();
        String name = method.getFullMethodName() + " as " + caller.name;
        try {
            status = closed.get(5, TimeUnit.SECONDS);
            millisByMethod.computeIfAbsent(bare, k -> new AtomicLong())
                    .addAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            call.cancel("fuzz: no answer", null);
            findings.add(name + " did not close within 5 s despite a 2 s deadline: " + Inputs.hex(requests.get(0)));
            return;
        }
        String input = Inputs.hex(requests.get(0));
        boolean mayOutlive = !method.getType().serverSendsOneMessage() || stall
                || method.equals(AdminGrpc.getHandOffLeadershipMethod());
        if (!TYPED.contains(status.getCode())
                && !(status.getCode() == Status.Code.DEADLINE_EXCEEDED && mayOutlive)) {
            findings.add(name + " answered " + status + " to " + input);
        }
        if (status.getDescription() != null && status.getDescription().contains("\tat ")) {
            findings.add(name + " sent a stack trace: " + status.getDescription());
        }
        if (reach.unauthenticated(bare) && status.getCode() != Status.Code.UNAUTHENTICATED) {
            findings.add(name + " answered " + status + " to a caller without a valid identity: " + input);
        }
        if (caller.reach != Reach.ALL && CLUSTER_CALLS.contains(bare) && status.getCode()
                != Status.Code.PERMISSION_DENIED && status.getCode() != Status.Code.UNAUTHENTICATED) {
            findings.add(name + " answered " + status + " to a caller without the role for it: " + input);
        }
        Message responsePrototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>)
                method.getResponseMarshaller()).getMessagePrototype();
        for (byte[] response : responses) {
            if (caller.reach != Reach.ALL) {
                for (byte[] secret : caller.mustNotSee) {
                    if (Inputs.names(response, secret)) {
                        findings.add(name + " answered what the caller may not see (" + Inputs.hex(secret)
                                + ") to " + input + ": " + Inputs.hex(response));
                    }
                }
            }
            try {
                Message parsed = responsePrototype.getParserForType().parseFrom(response);
                String bad = Inputs.serverError(parsed);
                if (bad != null) {
                    findings.add(name + " answered SERVER_ERROR (" + bad + ") to " + input);
                }
                if (caller.reach != Reach.ALL && Inputs.applied(parsed)) {
                    findings.add(name + " applied a write of a caller without a role for it: " + input);
                }
            } catch (InvalidProtocolBufferException e) {
                findings.add(name + " sent an unparseable response");
            }
        }
    }

    /**
     * One raw connection: garbage, a broken HTTP/2 or HTTP/1.1 conversation, or a connection left stalled; with
     * {@code tls} contexts (TLS ports), half the time a handshake cut short instead, or garbage after a whole one
     * (with no certificate, a client's or a node's: the Raft port wants one).
     */
    private void rawBytes(Random random, int port, List<Socket> stalled, List<SSLContext> tls) {
        rawConnections.incrementAndGet();
        Socket s = new Socket();
        boolean keep = false;
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(300);
            Socket conversation = s;
            byte[] payload = Inputs.rawPayload(random);
            if (!tls.isEmpty() && random.nextBoolean()) {
                SSLContext context = tls.get(random.nextInt(tls.size()));
                if (random.nextBoolean()) {
                    byte[] hello = Inputs.clientHello(context, port);
                    payload = Arrays.copyOf(hello, 1 + random.nextInt(hello.length - 1));
                } else {
                    SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(s, "127.0.0.1", port, true);
                    ssl.setSoTimeout(2_000);
                    ssl.startHandshake();
                    ssl.setSoTimeout(300);
                    conversation = ssl;
                }
            }
            OutputStream out = conversation.getOutputStream();
            out.write(payload);
            out.flush();
            switch (random.nextInt(4)) {
                case 0 -> conversation.shutdownOutput(); // half-open
                case 1 -> keep = stalled.size() < 6; // stalled until the end of the run
                default -> {
                }
            }
            if (!keep) {
                conversation.getInputStream().read(new byte[4096]); // whatever it answers, or a timeout
            }
        } catch (IOException e) {
            // Refused, reset, timed out or a failed handshake: all fine for garbage.
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
        static final String[] STRINGS = {"", "test", "test", "fz", "a", "b", "v", "x".repeat(64),
                "\u0000", "é", "\uD83D\uDE00", "n", "*", "../../etc", "\u202E", "test\u0000"};
        /** User names: valid, too long (63 is the most), not of the allowed characters. */
        static final String[] USERS = {"a", "fz", "test", "u-1", "x".repeat(63), "x".repeat(64), "no spaces",
                "é", "", "\u0000", "a@b.c", "..", "\uD83D\uDE00", "nobody"};
        /** Passwords: valid, empty, 72 bytes of UTF-8 (the most) and one more, NUL. */
        static final String[] PASSWORDS = {"", "pw", "x".repeat(72), "x".repeat(73), "é".repeat(36),
                "é".repeat(37), "\uD83D\uDE00".repeat(18), "\u0000", "pw\u0000x", "p w"};
        static final String[] ROLES = {"read", "read-write", "read-write-udf", "write", "data-admin",
                "sys-admin", "user-admin", "READ", "superuser", "", "read "};
        private static final Set<String> WRITE_RESPONSES = Set.of("PutResponse", "DeleteResponse", "TouchResponse",
                "TruncateResponse");
        private static final long[] NUMBERS = {0, 1, -1, 2, 3, 4095, 4096, 4097, Integer.MAX_VALUE,
                Integer.MIN_VALUE, 0xFFFFFFFFL, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 31, 1L << 32, 100, 65_536};

        private Inputs() {
        }

        static Message message(Random random, Message.Builder b, int depth, Words words) {
            for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
                if (random.nextInt(3) == 0) {
                    continue;
                }
                if (f.isRepeated()) {
                    int n = random.nextInt(depth > 3 ? 2 : 4);
                    for (int i = 0; i < n; i++) {
                        Object v = value(random, b, f, depth, words);
                        if (v != null) {
                            b.addRepeatedField(f, v);
                        }
                    }
                } else {
                    Object v = value(random, b, f, depth, words);
                    if (v != null) {
                        b.setField(f, v);
                    }
                }
            }
            return b.build();
        }

        private static Object value(Random random, Message.Builder parent, FieldDescriptor f, int depth,
                                    Words words) {
            return switch (f.getJavaType()) {
                case INT -> f.getName().equals("code") && random.nextBoolean() ? random.nextInt(40)
                        : (int) number(random);
                case LONG -> number(random);
                case FLOAT -> random.nextFloat();
                case DOUBLE -> random.nextInt(4) == 0 ? Double.NaN : random.nextGaussian() * 1e6;
                case BOOLEAN -> random.nextBoolean();
                case STRING -> words.of(random, f.getName());
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
                    yield depth > 6 ? null : message(random, parent.newBuilderForField(f), depth + 1, words);
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

        static String any(Random random, String[] strings) {
            return strings[random.nextInt(strings.length)];
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

        /** Whether {@code m} (or a reply inside it) reports a write applied: put, delete, touch, truncate, import. */
        static boolean applied(Message m) {
            String type = m.getDescriptorForType().getName();
            if (WRITE_RESPONSES.contains(type) || type.equals("ImportResponse")) {
                Message status = (Message) m.getField(m.getDescriptorForType().findFieldByName("status"));
                boolean ok = ((Number) status.getField(status.getDescriptorForType().findFieldByName("code")))
                        .intValue() == ResultCode.OK.code();
                // An import of no records answers OK and applies nothing.
                return ok && (!type.equals("ImportResponse") || m.getRepeatedFieldCount(
                        m.getDescriptorForType().findFieldByName("outcomes")) > 0);
            }
            for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
                if (e.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                    continue;
                }
                List<?> values = e.getKey().isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue());
                for (Object v : values) {
                    if (applied((Message) v)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * A session token that must not check out: garbage, huge, non-ASCII, {@code p1.} with garbage, well-formed
         * claims under a wrong MAC, {@code own} (a real token) cut or altered, or claims signed with the cluster's
         * {@code key} that name an expired session, an unknown user or an old credential version.
         */
        static String forgedToken(Random random, String own, byte[] key) {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            long now = System.currentTimeMillis();
            SessionClaims valid = SessionClaims.newBuilder().setUser(READER).setExpiresMs(now + 3_600_000)
                    .setCredentialVersion(1).build();
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            return switch (random.nextInt(12)) {
                case 0 -> STRINGS[random.nextInt(STRINGS.length)];
                case 1 -> "p1." + b64.encodeToString(garbage) + (random.nextBoolean() ? "" : "." + b64.encodeToString(
                        garbage));
                case 2 -> "p1." + "A".repeat(random.nextBoolean() ? 1_022 : 6_000); // just over 1024 chars, or far
                case 3 -> "p1.\u00e9\u00ff\u0080." + new String(garbage, StandardCharsets.ISO_8859_1);
                case 4 -> "p1." + b64.encodeToString(valid.toByteArray()) + "." + b64.encodeToString(
                        Arrays.copyOf(garbage, 32)); // valid-looking, bad MAC
                case 5 -> own.substring(0, random.nextInt(own.length())); // truncated
                case 6 -> { // one character changed
                    char[] c = own.toCharArray();
                    int at = 3 + random.nextInt(c.length - 3);
                    c[at] = c[at] == 'A' ? 'B' : 'A';
                    yield new String(c);
                }
                case 7 -> own + (random.nextBoolean() ? "=" : "." + b64.encodeToString(garbage));
                case 8 -> SessionTokens.issue(key, valid.toBuilder().setExpiresMs(now - 1 - random.nextInt(1000))
                        .build()); // expired
                case 9 -> SessionTokens.issue(key, valid.toBuilder().setUser("nobody-" + random.nextInt(100))
                        .build()); // no such user
                case 10 -> SessionTokens.issue(key, valid.toBuilder().setCredentialVersion(random.nextBoolean() ? 2
                        : 0).build()); // another credential version
                default -> SessionTokens.issue(Arrays.copyOf(garbage, 1 + garbage.length), valid); // another key
            };
        }

        /** {@code m} with the key of a secret record as every record key in it (set where it was absent). */
        static Message aimed(Random random, Message m) {
            Message.Builder b = m.toBuilder();
            for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
                if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                    continue;
                }
                if (f.isRepeated()) {
                    b.clearField(f);
                    for (Object v : (List<?>) m.getField(f)) {
                        b.addRepeatedField(f, aimed(random, f, (Message) v));
                    }
                } else if (m.hasField(f) || f.getMessageType().getFullName().equals("partita.v1.Key")) {
                    b.setField(f, aimed(random, f, (Message) m.getField(f)));
                }
            }
            return b.build();
        }

        private static Message aimed(Random random, FieldDescriptor f, Message value) {
            if (!f.getMessageType().getFullName().equals("partita.v1.Key")) {
                return aimed(random, value);
            }
            io.partita.protocol.v1.Key.Builder k = io.partita.protocol.v1.Key.newBuilder()
                    .setNamespace(random.nextBoolean() ? "test" : KEPT)
                    .setSet(SECRET_SETS.get(random.nextInt(SECRET_SETS.size())));
            Object userKey = SECRET_KEYS.get(random.nextInt(SECRET_KEYS.size()));
            return (userKey instanceof Long l ? k.setLongKey(l) : k.setStringKey((String) userKey)).build();
        }

        /** The first TLS record a client sends with {@code context}: its ClientHello. */
        static byte[] clientHello(SSLContext context, int port) throws SSLException {
            SSLEngine engine = context.createSSLEngine("127.0.0.1", port);
            engine.setUseClientMode(true);
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), out);
            out.flip();
            byte[] hello = new byte[out.remaining()];
            out.get(hello);
            return hello;
        }
    }
}
