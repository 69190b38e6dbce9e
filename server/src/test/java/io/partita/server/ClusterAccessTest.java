package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.protocol.ResultCode;
import io.partita.protocol.testing.TestCertificates;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.tls.TlsSettings;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.DecommissionNodeRequest;
import io.partita.protocol.v1.ExportGroupRequest;
import io.partita.protocol.v1.FetchSnapshotRequest;
import io.partita.protocol.v1.HandOffLeadershipRequest;
import io.partita.protocol.v1.InitClusterRequest;
import io.partita.protocol.v1.JoinClusterRequest;
import io.partita.protocol.v1.JoinClusterResponse;
import io.partita.protocol.v1.PlanNode;
import io.partita.protocol.v1.SnapshotTransferGrpc;
import io.partita.server.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With TLS on (client certificates not required for records), only a node of the cluster may push a plan or fetch a
 * snapshot, and only a caller with a certificate from the CA may change the cluster or export its data. A pushed
 * plan is adopted only if the metadata group holds it ({@link PlanAdoptionTest}).
 */
class ClusterAccessTest {
    @TempDir
    Path dir;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    @Test
    void onlyNodesPushPlansOrFetchSnapshotsAndOnlyCertificateHoldersChangeTheCluster() throws Exception {
        TestCertificates ca = TestCertificates.ca(dir.resolve("tls"), "ca");
        TestCertificates.Pair n1 = ca.issue("n1", List.of("127.0.0.1"), Duration.ofDays(30));
        TestCertificates.Pair stranger = ca.issue("n9", List.of("127.0.0.1"), Duration.ofDays(30));
        TestCertificates.Pair admin = ca.issueClient("admin", Duration.ofDays(30));
        try (TestCluster cluster = TestCluster.start(dir, 1, 1, 1,
                c -> c.withTls(NodeConfig.Tls.enabled(n1.cert(), n1.key(), ca.certFile())))) {
            String address = cluster.clientAddress(0);
            TlsSettings anonymous = TlsSettings.trusting(ca.certFile());
            ClusterPlan plan = cluster.node(0).membership().plans().current().orElseThrow();

            // Records need no client certificate here (client-auth off).
            try (PartitaClient c = PartitaClient.connect(ClientConfig.builder().seeds(address).tls(anonymous)
                    .build())) {
                c.put(new Key("test", "s", "k"), Map.of("v", 1));
                c.truncate(null, "test", "gone", null);
            }

            // Changing the cluster or exporting its data needs a certificate.
            AdminGrpc.AdminBlockingStub noCert = admin(address, anonymous);
            for (Function<AdminGrpc.AdminBlockingStub, Object> call : List.<Function<AdminGrpc.AdminBlockingStub,
                    Object>>of(
                    s -> s.initCluster(InitClusterRequest.newBuilder().addHosts("10.9.9.9:7300").build()),
                    s -> s.decommissionNode(DecommissionNodeRequest.newBuilder().setNodeId("n1").build()),
                    s -> s.handOffLeadership(HandOffLeadershipRequest.getDefaultInstance()),
                    s -> s.exportGroup(ExportGroupRequest.newBuilder().setGroup(0).build()).next())) {
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call.apply(noCert));
                assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), e.toString());
                assertTrue(e.getStatus().getDescription().contains("needs a certificate from the cluster's CA"),
                        e.toString());
            }
            AdminGrpc.AdminBlockingStub withCert = admin(address,
                    anonymous.withIdentity(admin.cert(), admin.key()));
            withCert.handOffLeadership(HandOffLeadershipRequest.newBuilder().setBudgetMs(100).build());
            assertTrue(withCert.exportGroup(ExportGroupRequest.newBuilder().setGroup(0).build()).hasNext());

            // Plans come only from nodes of the cluster: not from a client certificate, nor from a node certificate
            // of the same CA that the cluster does not list, even with a plan naming it; a member's push passes.
            ClusterPlan hijack = plan.toBuilder().setVersion(plan.getVersion() + 1)
                    .addNodes(PlanNode.newBuilder().setNodeId("n9").setClientAddress("127.0.0.1:1")
                            .setRaftAddress("127.0.0.1:2")).build();
            assertRefused(push(withCert, hijack), "the caller's certificate (CN=admin) is not a node certificate");
            assertRefused(push(noCert, hijack), "the caller presented no certificate");
            assertRefused(push(admin(address, anonymous.withIdentity(stranger.cert(), stranger.key())), hijack),
                    "node n9 is not a node of cluster " + plan.getClusterId());
            AdminGrpc.AdminBlockingStub member = admin(address, anonymous.withIdentity(n1.cert(), n1.key()));
            JoinClusterResponse own = push(member, plan);
            assertEquals(ResultCode.OK.code(), own.getStatus().getCode(), own.toString());
            // Even a member's push is only a hint: a plan the metadata group does not hold is not adopted.
            JoinClusterResponse madeUp = push(member, hijack);
            assertEquals(ResultCode.PARAMETER_ERROR.code(), madeUp.getStatus().getCode(), madeUp.toString());
            assertTrue(madeUp.getStatus().getMessage().contains("is not in force"), madeUp.toString());
            assertEquals(plan, cluster.node(0).membership().plans().current().orElseThrow(), "no plan was adopted");

            // Snapshots go only to nodes of the cluster.
            for (TestCertificates.Pair who : List.of(admin, stranger)) {
                ManagedChannel ch = channel(address, anonymous.withIdentity(who.cert(), who.key()));
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> SnapshotTransferGrpc
                        .newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .fetchSnapshot(FetchSnapshotRequest.newBuilder().setGroup(0).build()).next());
                assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), e.toString());
            }

            // The audit log has a line for each administrative and each refused call, none for status reads.
            List<String> audit = Files.readAllLines(cluster.config(0).auditLogFile());
            assertAudited(audit, "\"call\":\"Partita/Truncate\",\"caller\":\"-\"", "\"outcome\":\"OK\"");
            assertAudited(audit, "\"call\":\"Admin/InitCluster\",\"caller\":\"-\"",
                    "\"outcome\":\"UNAUTHENTICATED\"", "needs a certificate");
            assertAudited(audit, "\"call\":\"Admin/HandOffLeadership\",\"caller\":\"CN=admin\"",
                    "\"request\":\"budget_ms: 100\"", "\"outcome\":\"OK\"");
            assertAudited(audit, "\"call\":\"Admin/JoinCluster\",\"caller\":\"CN=n9\"",
                    "\"outcome\":\"ROLE_VIOLATION\"", "node n9 is not a node of cluster");
            assertAudited(audit, "\"call\":\"SnapshotTransfer/FetchSnapshot\",\"caller\":\"CN=admin\"",
                    "\"outcome\":\"PERMISSION_DENIED\"");
            assertTrue(audit.stream().noneMatch(l -> l.contains("DescribeNode") || l.contains("NodeStatus")),
                    String.join("\n", audit));
        }
    }

    private static void assertAudited(List<String> audit, String... parts) {
        assertTrue(audit.stream().anyMatch(l -> java.util.Arrays.stream(parts).allMatch(l::contains)
                        && l.startsWith("{\"time\":") && l.contains("\"node\":\"n1\"")),
                "no audit line with " + List.of(parts) + " in:\n" + String.join("\n", audit));
    }

    private static void assertRefused(JoinClusterResponse r, String why) {
        assertEquals(ResultCode.ROLE_VIOLATION.code(), r.getStatus().getCode(), r.toString());
        assertTrue(r.getStatus().getMessage().contains(why), r.getStatus().getMessage());
    }

    private static JoinClusterResponse push(AdminGrpc.AdminBlockingStub stub, ClusterPlan plan) {
        return stub.joinCluster(JoinClusterRequest.newBuilder().setPlan(plan).build());
    }

    private AdminGrpc.AdminBlockingStub admin(String address, TlsSettings tls) {
        return AdminGrpc.newBlockingStub(channel(address, tls)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private ManagedChannel channel(String address, TlsSettings tls) {
        ManagedChannel ch = ChannelFactory.of(tls).forTarget(address).build();
        channels.add(ch);
        return ch;
    }
}
