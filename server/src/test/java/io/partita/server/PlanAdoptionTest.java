package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.partita.protocol.ResultCode;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.JoinClusterRequest;
import io.partita.protocol.v1.JoinClusterResponse;
import io.partita.protocol.v1.PlanNode;
import io.partita.protocol.v1.SecurityState;
import io.partita.protocol.v1.User;
import io.partita.server.cluster.Membership;
import io.partita.server.cluster.PlanNotInForceException;
import io.partita.server.cluster.PlanView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that runs the cluster adopts only the plan the metadata group holds: a plan pushed to it or reported by a
 * seed is a hint to read that group, never taken as sent; and what the group answers comes from its log, not from
 * whatever plan the answering node holds.
 */
class PlanAdoptionTest {
    @TempDir
    Path dir;

    @Test
    void pushedAndSeedPlansAreHintsAndTheMetadataGroupAnswersFromItsLog() throws Exception {
        // 4 nodes: 3 run the metadata group, one does not and learns plans only from pushes and seeds.
        try (TestCluster cluster = TestCluster.start(dir, 4, 3, 4)) {
            ClusterPlan plan = cluster.node(0).membership().plans().current().orElseThrow();
            long v = plan.getVersion();
            ClusterFormationTest.awaitPlanInMetaLog(cluster, v, Duration.ofSeconds(30));
            int outside = outsideMeta(cluster, plan);
            Membership bystander = cluster.node(outside).membership();

            // A made-up next version, naming a node that does not exist: refused by every node, adopted by none.
            ClusterPlan madeUp = withUser(plan.toBuilder().setVersion(v + 1)
                    .addNodes(PlanNode.newBuilder().setNodeId("n9").setClientAddress("127.0.0.1:1")
                            .setRaftAddress("127.0.0.1:2")).build(), "made-up");
            for (int i = 0; i < cluster.size(); i++) {
                JoinClusterResponse r = push(cluster, i, madeUp);
                assertEquals(ResultCode.PARAMETER_ERROR.code(), r.getStatus().getCode(), r.toString());
                assertTrue(r.getStatus().getMessage().contains("plan version " + (v + 1) + " is not in force: the"
                        + " metadata group holds version " + v), r.getStatus().getMessage());
                assertEquals(plan, cluster.node(i).membership().plans().current().orElseThrow(), "node " + i);
            }
            assertThrows(PlanNotInForceException.class, () -> bystander.joinFromSeed(madeUp));
            assertEquals(plan, bystander.plans().current().orElseThrow(), "a seed's made-up plan is not adopted");

            // The group commits a real next version that nobody pushes. A push of other bytes under that version
            // makes the bystander read the group and adopt the real plan, not what was pushed.
            ClusterPlan real = withUser(plan.toBuilder().setVersion(v + 1).build(), "real");
            ClusterPlan committed = ClusterPlan.parseFrom(cluster.node(0).raft()
                    .proposeToMeta(PlanView.metaMembers(plan), real.toByteArray()));
            assertEquals(real, committed);
            assertEquals(plan, bystander.plans().current().orElseThrow(), "not pushed, so not known yet");
            JoinClusterResponse r = push(cluster, outside, madeUp);
            assertEquals(ResultCode.OK.code(), r.getStatus().getCode(), r.toString());
            assertEquals(real, bystander.plans().current().orElseThrow());

            // A node's own copy of the plan does not leak into what the metadata group answers.
            ClusterPlan aside = withUser(plan.toBuilder().setVersion(v + 2).build(), "aside");
            for (String id : plan.getMetaNodeIdsList()) {
                cluster.node(indexOf(cluster, id)).membership().plans().offer(aside);
            }
            assertEquals(real, bystander.readMetaPlan(plan));
        }
    }

    private static ClusterPlan withUser(ClusterPlan plan, String name) {
        return plan.toBuilder().setSecurity(SecurityState.newBuilder().addUsers(User.newBuilder().setName(name)))
                .build();
    }

    private static int outsideMeta(TestCluster cluster, ClusterPlan plan) {
        for (int i = 0; i < cluster.size(); i++) {
            if (!plan.getMetaNodeIdsList().contains(cluster.config(i).nodeId())) {
                return i;
            }
        }
        throw new AssertionError("every node runs the metadata group: " + plan.getMetaNodeIdsList());
    }

    private static int indexOf(TestCluster cluster, String nodeId) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.config(i).nodeId().equals(nodeId)) {
                return i;
            }
        }
        throw new AssertionError("no node " + nodeId);
    }

    private static JoinClusterResponse push(TestCluster cluster, int node, ClusterPlan plan) {
        ManagedChannel ch = ChannelFactory.plaintext().forTarget(cluster.clientAddress(node)).build();
        try {
            return AdminGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .joinCluster(JoinClusterRequest.newBuilder().setPlan(plan).build());
        } finally {
            ch.shutdownNow();
        }
    }
}
