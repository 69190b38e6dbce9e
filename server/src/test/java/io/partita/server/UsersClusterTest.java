package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.partita.client.ClientConfig;
import io.partita.client.ImportPolicy;
import io.partita.client.ImportRecord;
import io.partita.client.Key;
import io.partita.client.Operation;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.PartitionFilter;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.ResultCode;
import io.partita.protocol.auth.SessionHeader;
import io.partita.protocol.testing.TestCertificates;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.tls.TlsSettings;
import io.partita.protocol.v1.AddNodeRequest;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ClusterMapRequest;
import io.partita.protocol.v1.CreateUserRequest;
import io.partita.protocol.v1.DecommissionNodeRequest;
import io.partita.protocol.v1.DescribeNodeRequest;
import io.partita.protocol.v1.DropUserRequest;
import io.partita.protocol.v1.ExportGroupChunk;
import io.partita.protocol.v1.ExportGroupRequest;
import io.partita.protocol.v1.ExportedRecord;
import io.partita.protocol.v1.GetRequest;
import io.partita.protocol.v1.Grant;
import io.partita.protocol.v1.GrantRolesRequest;
import io.partita.protocol.v1.ListUsersRequest;
import io.partita.protocol.v1.LoginRequest;
import io.partita.protocol.v1.LoginResponse;
import io.partita.protocol.v1.Op;
import io.partita.protocol.v1.OpFrame;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.protocol.v1.PutRequest;
import io.partita.protocol.v1.Reply;
import io.partita.protocol.v1.ReplyFrame;
import io.partita.protocol.v1.RevokeRolesRequest;
import io.partita.protocol.v1.SetPasswordRequest;
import io.partita.protocol.v1.UserChangeResponse;
import io.partita.protocol.v1.UsersGrpc;
import io.partita.server.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users and roles on a 3-node cluster with TLS and {@code security.enabled}: the first user and its password file,
 * logins, each role allowed and refused for each class of operation (records, batch, scan, truncate, import,
 * export, cluster changes, user administration), scopes (a set-scoped user cannot read another set), tokens valid
 * on every node and ended by a password change or a drop, identity switched in-band on a Multiplex stream, the
 * plan's users hidden from non-nodes, and the audit log of logins and user changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsersClusterTest {
    private static final String NS = "test";

    private Path dir;
    private TestCertificates ca;
    private TestCluster cluster;
    private String adminPassword;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<PartitaClient> clients = new ArrayList<>();
    private final AtomicInteger names = new AtomicInteger();

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        ca = TestCertificates.ca(dir.resolve("tls"), "ca");
        cluster = TestCluster.start(dir, 3, 3, 2, TestCluster.withTlsAndUsers(ca));
        adminPassword = cluster.awaitAdminPassword(ChannelFactory.of(TlsSettings.trusting(ca.certFile())));
    }

    @AfterAll
    void stop() {
        clients.forEach(PartitaClient::close);
        channels.forEach(ManagedChannel::shutdownNow);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theFirstUserIsAdminWithItsPasswordInAnOwnerOnlyFileOnOneNode() throws Exception {
        int files = 0;
        for (int i = 0; i < cluster.size(); i++) {
            Path f = cluster.config(i).initialAdminPasswordFile();
            if (Files.exists(f)) {
                files++;
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            }
        }
        assertEquals(1, files, "exactly one node keeps the admin's password file");
        try (PartitaClient admin = client("admin", adminPassword)) {
            admin.put(new Key(NS, "s1", "first"), Map.of("v", 1));
            assertEquals(1L, admin.get(new Key(NS, "s1", "first")).getValue("v"));
        }
    }

    @Test
    void withoutAUserOrWithAWrongPasswordNothingIsServed() {
        PartitaException none = assertThrows(PartitaException.class, () -> PartitaClient.connect(
                ClientConfig.builder().seeds(seeds()).tls(ca.certFile()).build()).close());
        assertEquals(ResultCode.NOT_AUTHENTICATED, none.resultCode(), none.getMessage());
        assertTrue(none.getMessage().contains("needs a user"), none.getMessage());
        PartitaException wrong = assertThrows(PartitaException.class, () -> client("admin", "not-it"));
        assertEquals(ResultCode.INVALID_CREDENTIAL, wrong.resultCode(), wrong.getMessage());
        PartitaException unknown = assertThrows(PartitaException.class, () -> client("nobody", "x"));
        assertEquals(ResultCode.INVALID_CREDENTIAL, unknown.resultCode(), unknown.getMessage());
        // A forged token: the node refuses the call before reading it.
        StatusRuntimeException forged = assertThrows(StatusRuntimeException.class, () -> withToken(
                PartitaGrpc.newBlockingStub(channel(0)), "p1.AAAA.BBBB").getClusterMap(
                ClusterMapRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, forged.getStatus().getCode());
    }

    /** Every role against every class of operation: allowed ones succeed, the others fail with ROLE_VIOLATION. */
    @Test
    void eachRoleIsAllowedExactlyItsOperations() throws Exception {
        try (PartitaClient admin = client("admin", adminPassword)) {
            for (int i = 0; i < 20; i++) {
                admin.put(new Key(NS, "s1", "k" + i), Map.of("v", i));
                admin.put(new Key(NS, "s2", "k" + i), Map.of("v", i));
            }
        }
        ExportedRecord exported = exportOne(login("admin", adminPassword));
        Map<String, List<String>> allowed = new LinkedHashMap<>();
        allowed.put("read", List.of("read"));
        allowed.put("write", List.of("write"));
        allowed.put("read-write", List.of("read", "write"));
        allowed.put("read-write-udf", List.of("read", "write"));
        allowed.put("data-admin", List.of("data-admin"));
        allowed.put("sys-admin", List.of("sys-admin"));
        allowed.put("user-admin", List.of("user-admin"));
        for (Map.Entry<String, List<String>> role : allowed.entrySet()) {
            String user = newUser(Grant.newBuilder().setRole(role.getKey()).build());
            // Every role over the Multiplex stream; read-write over unary calls too (the same checks, another path).
            for (boolean multiplex : role.getKey().equals("read-write") ? List.of(true, false) : List.of(true)) {
                try (PartitaClient c = client(user, "pw-" + user, multiplex)) {
                    String token = login(user, "pw-" + user);
                    for (Map.Entry<String, List<Runnable>> opClass : operations(c, token, exported).entrySet()) {
                        boolean expected = role.getValue().contains(opClass.getKey());
                        for (Runnable op : opClass.getValue()) {
                            assertOutcome(expected, op, role.getKey() + " doing " + opClass.getKey()
                                    + (multiplex ? " (multiplexed)" : " (unary)"));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aUserScopedToOneSetReadsAndWritesItAndNothingElse() throws Exception {
        String user = newUser(Grant.newBuilder().setRole("read-write").setNamespace(NS).setSet("s1").build());
        try (PartitaClient c = client(user, "pw-" + user)) {
            c.put(new Key(NS, "s1", "mine"), Map.of("v", 7));
            assertEquals(7L, c.get(new Key(NS, "s1", "mine")).getValue("v"));
            assertRole(() -> c.get(new Key(NS, "s2", "k1")), "another set");
            assertRole(() -> c.put(new Key(NS, "s2", "k1"), Map.of("v", 0)), "another set");
            assertRole(() -> c.get(new Key(NS, "", "k1")), "records without a set");
            assertRole(() -> c.scanPartitions(null, PartitionFilter.all(), NS, null, (ns, set, d, r) -> { }), "whole namespace");
            long[] seen = new long[1];
            c.scanPartitions(null, PartitionFilter.all(), NS, "s1", (ns, set, d, r) -> seen[0]++);
            assertTrue(seen[0] >= 1);
            assertRole(() -> c.get(null, new Key[] {new Key(NS, "s1", "mine"), new Key(NS, "s2", "k1")})[1]
                    .toString(), "a batch key of another set");
        }
        // Grants change at once; revoking them ends the access.
        UsersGrpc.UsersBlockingStub users = users(login("admin", adminPassword));
        Grant s2 = Grant.newBuilder().setRole("read").setNamespace(NS).setSet("s2").build();
        assertOk(users.grantRoles(GrantRolesRequest.newBuilder().setUser(user).addGrants(s2).build()));
        try (PartitaClient c = client(user, "pw-" + user)) {
            c.get(new Key(NS, "s2", "k1"));
            assertOk(users.revokeRoles(RevokeRolesRequest.newBuilder().setUser(user).addGrants(s2).build()));
            assertRole(() -> c.get(new Key(NS, "s2", "k1")), "after the revoke");
        }
    }

    @Test
    void aTokenWorksOnEveryNodeUntilThePasswordChangesOrTheUserIsDropped() {
        String user = newUser(Grant.newBuilder().setRole("read").build());
        String token = login(user, "pw-" + user);
        for (int i = 0; i < cluster.size(); i++) {
            withToken(PartitaGrpc.newBlockingStub(channel(i)), token).getClusterMap(
                    ClusterMapRequest.getDefaultInstance());
        }
        UsersGrpc.UsersBlockingStub self = users(token);
        assertOk(self.setPassword(SetPasswordRequest.newBuilder().setUser(user).setPassword("new-pw").build()));
        for (int i = 0; i < cluster.size(); i++) {
            assertRefusedToken(token, i, ResultCode.EXPIRED_SESSION);
        }
        String renewed = login(user, "new-pw");
        // Changing another user's password needs user-admin.
        assertEquals(ResultCode.ROLE_VIOLATION.code(), users(renewed).setPassword(SetPasswordRequest.newBuilder()
                .setUser("admin").setPassword("mine-now").build()).getStatus().getCode());
        assertOk(users(login("admin", adminPassword)).dropUser(DropUserRequest.newBuilder().setUser(user).build()));
        for (int i = 0; i < cluster.size(); i++) {
            assertRefusedToken(renewed, i, ResultCode.EXPIRED_SESSION);
        }
    }

    /**
     * The way back from lost passwords, every user-admin's included: a node certificate is the cluster itself and
     * may set any user's password. (A user other than admin here: the admin's password file goes once it changes.)
     */
    @Test
    void aNodeCertificateResetsAForgottenPassword() {
        String user = newUser(Grant.newBuilder().setRole("user-admin").build());
        String old = login(user, "pw-" + user);
        NodeConfig n3 = cluster.config(2);
        ManagedChannel asNode = ChannelFactory.of(TlsSettings.trusting(ca.certFile()).withIdentity(
                n3.tls().certFile(), n3.tls().keyFile())).forTarget(cluster.clientAddress(0)).build();
        channels.add(asNode);
        assertOk(UsersGrpc.newBlockingStub(asNode).setPassword(SetPasswordRequest.newBuilder().setUser(user)
                .setPassword("reset-pw").build()));
        assertRefusedToken(old, 0, ResultCode.EXPIRED_SESSION);
        login(user, "reset-pw");
        // A caller with neither a node certificate nor a user may not.
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> UsersGrpc.newBlockingStub(
                channel(0)).setPassword(SetPasswordRequest.newBuilder().setUser(user).setPassword("taken").build()));
        assertEquals(Integer.toString(ResultCode.NOT_AUTHENTICATED.code()),
                e.getTrailers().get(SessionHeader.RESULT_CODE), e.toString());
    }

    @Test
    void userAdministrationRefusesWhatWouldBreakIt() {
        UsersGrpc.UsersBlockingStub admin = users(login("admin", adminPassword));
        // Other tests make user-admins: drop them, so that admin is the last one.
        for (var u : admin.listUsers(ListUsersRequest.getDefaultInstance()).getUsersList()) {
            if (!u.getName().equals("admin") && u.getGrantsList().stream()
                    .anyMatch(g -> g.getRole().equals("user-admin"))) {
                assertOk(admin.dropUser(DropUserRequest.newBuilder().setUser(u.getName()).build()));
            }
        }
        assertCode(ResultCode.ROLE_VIOLATION, admin.dropUser(DropUserRequest.newBuilder().setUser("admin").build()));
        assertCode(ResultCode.ROLE_VIOLATION, admin.revokeRoles(RevokeRolesRequest.newBuilder().setUser("admin")
                .addGrants(Grant.newBuilder().setRole("user-admin")).build()));
        assertCode(ResultCode.USER_ALREADY_EXISTS, admin.createUser(CreateUserRequest.newBuilder().setUser("admin")
                .setPassword("x").build()));
        assertCode(ResultCode.INVALID_ROLE, admin.createUser(CreateUserRequest.newBuilder().setUser("u-bad")
                .setPassword("x").addGrants(Grant.newBuilder().setRole("superuser")).build()));
        assertCode(ResultCode.INVALID_ROLE, admin.createUser(CreateUserRequest.newBuilder().setUser("u-bad")
                .setPassword("x").addGrants(Grant.newBuilder().setRole("sys-admin").setNamespace(NS)).build()));
        assertCode(ResultCode.NAMESPACE_NOT_FOUND, admin.createUser(CreateUserRequest.newBuilder().setUser("u-bad")
                .setPassword("x").addGrants(Grant.newBuilder().setRole("read").setNamespace("nope")).build()));
        assertCode(ResultCode.INVALID_PASSWORD, admin.createUser(CreateUserRequest.newBuilder().setUser("u-bad")
                .setPassword("x".repeat(73)).build()));
        assertCode(ResultCode.INVALID_USER, admin.createUser(CreateUserRequest.newBuilder().setUser("no spaces")
                .setPassword("x").build()));
        assertCode(ResultCode.INVALID_USER, admin.dropUser(DropUserRequest.newBuilder().setUser("ghost").build()));
        assertFalse(admin.listUsers(ListUsersRequest.getDefaultInstance()).getUsersList().stream()
                .anyMatch(u -> u.getName().equals("u-bad")), "no refused user was created");
    }

    /** A Multiplex stream runs each frame as the token it last carried: a renewal switches the identity. */
    @Test
    void aMultiplexFrameWithATokenSwitchesTheStreamsUser() throws Exception {
        String reader = newUser(Grant.newBuilder().setRole("read").build());
        String writer = newUser(Grant.newBuilder().setRole("write").build());
        LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
        io.partita.protocol.v1.Key key = io.partita.protocol.v1.Key.newBuilder().setNamespace(NS).setSet("s1")
                .setStringKey("k1").build();
        StreamObserver<OpFrame> frames = withToken(PartitaGrpc.newStub(channel(leaderOf(key))),
                login(reader, "pw-" + reader))
                .multiplex(new StreamObserver<>() {
                    @Override
                    public void onNext(ReplyFrame f) {
                        replies.addAll(f.getRepliesList());
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        Op put = Op.newBuilder().setId(1).setPut(PutRequest.newBuilder().setKey(key)
                .addBins(io.partita.protocol.v1.Bin.newBuilder().setName("v").setValue(
                        io.partita.protocol.v1.Value.newBuilder().setLongValue(1)))).build();
        Op get = Op.newBuilder().setId(2).setGet(GetRequest.newBuilder().setKey(key)).build();
        frames.onNext(OpFrame.newBuilder().addOps(put).addOps(get).build());
        Map<Long, Integer> first = codes(replies, 2);
        assertEquals(ResultCode.ROLE_VIOLATION.code(), first.get(1L));
        assertEquals(ResultCode.OK.code(), first.get(2L));
        frames.onNext(OpFrame.newBuilder().setToken(login(writer, "pw-" + writer)).addOps(put.toBuilder().setId(3))
                .addOps(get.toBuilder().setId(4)).build());
        Map<Long, Integer> second = codes(replies, 2);
        assertEquals(ResultCode.OK.code(), second.get(3L), "the writer's put, on the reader's stream");
        assertEquals(ResultCode.ROLE_VIOLATION.code(), second.get(4L));
        frames.onNext(OpFrame.newBuilder().setToken("p1.forged.token").addOps(get.toBuilder().setId(5)).build());
        assertEquals(ResultCode.NOT_AUTHENTICATED.code(), codes(replies, 1).get(5L));
        frames.onCompleted();
    }

    @Test
    void onlyNodesSeeThePlansUsersAndTheAuditLogHasLoginsWithoutPasswords() throws Exception {
        AdminGrpc.AdminBlockingStub client = AdminGrpc.newBlockingStub(channel(0));
        assertFalse(client.describeNode(DescribeNodeRequest.getDefaultInstance()).getPlan().hasSecurity());
        assertTrue(client.describeNode(DescribeNodeRequest.getDefaultInstance()).getPlan().getNodesCount() > 0);
        NodeConfig n2 = cluster.config(1);
        ManagedChannel asNode = ChannelFactory.of(TlsSettings.trusting(ca.certFile()).withIdentity(
                n2.tls().certFile(), n2.tls().keyFile())).forTarget(cluster.clientAddress(0)).build();
        channels.add(asNode);
        assertTrue(AdminGrpc.newBlockingStub(asNode).describeNode(DescribeNodeRequest.getDefaultInstance()).getPlan()
                .hasSecurity());

        assertThrows(PartitaException.class, () -> client("admin", "wrong-password"));
        String user = newUser(Grant.newBuilder().setRole("read").build());
        List<String> audit = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            audit.addAll(Files.readAllLines(cluster.config(i).auditLogFile()));
        }
        String all = String.join("\n", audit);
        assertTrue(audit.stream().anyMatch(l -> l.contains("\"call\":\"Users/Login\"") && l.contains("\"user\":\"admin\"")
                && l.contains("\"outcome\":\"INVALID_CREDENTIAL\"")), all);
        assertTrue(audit.stream().anyMatch(l -> l.contains("\"call\":\"Users/Login\"") && l.contains("\"user\":\"admin\"")
                && l.contains("\"outcome\":\"OK\"")), all);
        assertTrue(audit.stream().anyMatch(l -> l.contains("\"call\":\"Users/CreateUser\"")
                && l.contains("\"user\":\"admin\"") && l.contains(user) && l.contains("password: \\\"***\\\"")), all);
        assertFalse(all.contains("pw-" + user), "a password reached the audit log");
        assertFalse(all.contains(adminPassword), "a password reached the audit log");
        assertFalse(all.contains("$2y$"), "a password hash reached the audit log");
    }

    // --- operations by class -------------------------------------------------------------------------------------

    private Map<String, List<Runnable>> operations(PartitaClient c, String token, ExportedRecord exported) {
        Key k = new Key(NS, "s1", "k" + names.incrementAndGet() % 20);
        Map<String, List<Runnable>> ops = new LinkedHashMap<>();
        ops.put("read", List.of(
                () -> c.get(k),
                () -> c.exists(k),
                () -> c.get(null, new Key[] {k, new Key(NS, "s1", "k1")}),
                () -> c.operate(null, k, Operation.get("v")),
                () -> c.scanPartitions(null, PartitionFilter.all(), NS, "s1", (ns, set, d, r) -> { })));
        ops.put("write", List.of(
                () -> c.put(k, Map.of("v", 1)),
                () -> c.touch(k),
                () -> c.operate(null, k, Operation.put("w", 2)),
                () -> c.delete(new Key(NS, "s1", "gone-" + names.incrementAndGet()))));
        ops.put("data-admin", List.of(
                () -> c.truncate(null, NS, "t", null),
                () -> c.importRecords(List.of(new ImportRecord(exported.getNamespace(), exported.getSet(),
                        exported.getDigest().toByteArray(), exported.getRecord().toByteArray())), ImportPolicy.REPLACE),
                () -> exportOne(token)));
        // Harmless cluster changes: a node that does not exist is neither decommissioned nor added.
        ops.put("sys-admin", List.of(
                () -> assertNotNull(withToken(AdminGrpc.newBlockingStub(channel(1)), token).decommissionNode(
                        DecommissionNodeRequest.newBuilder().setNodeId("ghost").build())),
                () -> assertNotNull(withToken(AdminGrpc.newBlockingStub(channel(2)), token).addNode(
                        AddNodeRequest.newBuilder().setAddress("127.0.0.1:1").build()))));
        ops.put("user-admin", List.of(
                () -> assertOk(users(token).createUser(CreateUserRequest.newBuilder().setUser("made-"
                        + names.incrementAndGet()).setPassword("x").build())),
                () -> {
                    // Anyone may list themselves; only user-admin sees the other users.
                    var list = users(token).listUsers(ListUsersRequest.getDefaultInstance());
                    assertOk(list.getStatus());
                    if (list.getUsersCount() <= 1) {
                        throw new RoleViolation("sees only itself: " + list.getUsersList());
                    }
                }));
        return ops;
    }

    private void assertOutcome(boolean allowed, Runnable op, String what) {
        if (allowed) {
            try {
                op.run();
            } catch (RuntimeException e) {
                throw new AssertionError(what + " should be allowed: " + e, e);
            }
        } else {
            assertRole(op, what);
        }
    }

    private static void assertRole(Runnable op, String what) {
        RuntimeException e = assertThrows(RuntimeException.class, op::run, what + " should be refused");
        ResultCode code = e instanceof PartitaException p ? p.resultCode()
                : e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.PERMISSION_DENIED
                ? ResultCode.ROLE_VIOLATION : e instanceof RoleViolation ? ResultCode.ROLE_VIOLATION : null;
        assertEquals(ResultCode.ROLE_VIOLATION, code, what + ": " + e);
    }

    /** A refused user call (its status carries ROLE_VIOLATION). */
    private static final class RoleViolation extends RuntimeException {
        RoleViolation(String message) {
            super(message);
        }
    }

    private static void assertOk(UserChangeResponse r) {
        assertOk(r.getStatus());
    }

    private static void assertOk(io.partita.protocol.v1.Status s) {
        if (s.getCode() == ResultCode.ROLE_VIOLATION.code()) {
            throw new RoleViolation(s.getMessage());
        }
        assertEquals(ResultCode.OK.code(), s.getCode(), s.getMessage());
    }

    private static void assertCode(ResultCode expected, UserChangeResponse r) {
        assertEquals(expected.code(), r.getStatus().getCode(), r.getStatus().getMessage());
    }

    private void assertRefusedToken(String token, int node, ResultCode expected) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> withToken(
                PartitaGrpc.newBlockingStub(channel(node)), token).getClusterMap(ClusterMapRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertEquals(Integer.toString(expected.code()), e.getTrailers().get(SessionHeader.RESULT_CODE),
                e.getStatus().getDescription());
    }

    private static Map<Long, Integer> codes(LinkedBlockingQueue<Reply> replies, int n) throws InterruptedException {
        Map<Long, Integer> codes = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Reply r = replies.poll(10, TimeUnit.SECONDS);
            assertNotNull(r, "no reply within 10 s");
            codes.put(r.getId(), r.hasPut() ? r.getPut().getStatus().getCode() : r.getGet().getStatus().getCode());
        }
        return codes;
    }

    // --- set-up helpers ------------------------------------------------------------------------------------------

    private ExportedRecord exportOne(String token) {
        List<String> problems = new ArrayList<>();
        for (int group = 0; group < 2; group++) {
            for (int node = 0; node < cluster.size(); node++) {
                Iterator<ExportGroupChunk> it;
                try {
                    it = withToken(AdminGrpc.newBlockingStub(channel(node)), token).withDeadlineAfter(10,
                            TimeUnit.SECONDS).exportGroup(ExportGroupRequest.newBuilder().setGroup(group).build());
                    while (it.hasNext()) {
                        ExportGroupChunk chunk = it.next();
                        if (chunk.getRecordsCount() > 0) {
                            ExportedRecord r = chunk.getRecords(0);
                            while (it.hasNext()) {
                                it.next();
                            }
                            return r;
                        }
                    }
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() == Status.Code.PERMISSION_DENIED) {
                        throw e;
                    }
                    problems.add("group " + group + " node " + node + ": " + e.getStatus()); // another node
                }
            }
        }
        throw new AssertionError("no record exported: " + problems);
    }

    private int leaderOf(io.partita.protocol.v1.Key key) {
        int group = cluster.node(0).raft().layout().groupOf(KeyDigest.partitionId(KeyDigest.compute(key)));
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.node(i).raft().isLeader(group)) {
                return i;
            }
        }
        throw new AssertionError("group " + group + " has no leader");
    }

    private String newUser(Grant grant) {
        String user = "u" + names.incrementAndGet();
        assertOk(users(login("admin", adminPassword)).createUser(CreateUserRequest.newBuilder().setUser(user)
                .setPassword("pw-" + user).addGrants(grant).build()));
        return user;
    }

    private String login(String user, String password) {
        LoginResponse r = UsersGrpc.newBlockingStub(channel(0)).login(LoginRequest.newBuilder().setUser(user)
                .setPassword(password).build());
        assertEquals(ResultCode.OK.code(), r.getStatus().getCode(), r.getStatus().getMessage());
        return r.getToken();
    }

    private UsersGrpc.UsersBlockingStub users(String token) {
        return withToken(UsersGrpc.newBlockingStub(channel(0)), token);
    }

    private static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(SessionHeader.TOKEN, token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private PartitaClient client(String user, String password) {
        return client(user, password, true);
    }

    private PartitaClient client(String user, String password, boolean multiplex) {
        PartitaClient c = PartitaClient.connect(ClientConfig.builder().seeds(seeds()).tls(ca.certFile())
                .user(user, password).multiplex(multiplex).build());
        clients.add(c);
        return c;
    }

    private ManagedChannel channel(int node) {
        ManagedChannel ch = ChannelFactory.of(TlsSettings.trusting(ca.certFile()))
                .forTarget(cluster.clientAddress(node)).build();
        channels.add(ch);
        return ch;
    }

    private String[] seeds() {
        return cluster.clientAddresses().toArray(String[]::new);
    }
}
