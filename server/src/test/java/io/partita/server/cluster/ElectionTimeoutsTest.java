package io.partita.server.cluster;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.v1.ClusterPlan;
import io.partita.raft.group.RaftTuning;
import io.partita.server.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The election timeouts the plan fixes, the refusal of a node that differs, and when the lease is on. */
class ElectionTimeoutsTest {
    private static final NodeConfig.RaftTuning CONFIG = NodeConfig.defaults("n1", Path.of("unused")).raft()
            .withElectionTimeouts(Duration.ofMillis(1000), Duration.ofMillis(2000));
    private static final RaftTuning TUNING = new RaftTuning(Duration.ofMillis(1000), Duration.ofMillis(2000), true,
            8L << 20, 256, 1L << 20, (1L << 20) + 4096, 100_000, 32L << 20);
    private static final ClusterPlan OLD_PLAN = ClusterPlan.newBuilder().setClusterId("c1").setVersion(1).build();

    @Test
    void aPlanFixesTheTimeoutsOfTheNodeThatMadeIt() {
        ClusterPlan plan = ElectionTimeouts.pin(OLD_PLAN, CONFIG);
        assertEquals(1000, plan.getElectionTimeoutMinMs());
        assertEquals(2000, plan.getElectionTimeoutMaxMs());
        assertTrue(ElectionTimeouts.pinned(plan));
        assertFalse(ElectionTimeouts.pinned(OLD_PLAN));
        assertDoesNotThrow(() -> ElectionTimeouts.check(plan, CONFIG));
    }

    @Test
    void aNodeWithAShorterMinimumIsRefusedNamingTheSettingAndTheClusterValue() {
        ClusterPlan plan = ElectionTimeouts.pin(OLD_PLAN, CONFIG);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ElectionTimeouts.check(plan,
                CONFIG.withElectionTimeouts(Duration.ofMillis(150), Duration.ofMillis(2000))));
        assertTrue(e.getMessage().contains("raft.election-timeout-min") && e.getMessage().contains("cluster c1 uses 1s")
                && e.getMessage().contains("says 150ms") && e.getMessage().contains("set raft.election-timeout-min: 1s"),
                e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> ElectionTimeouts.check(plan,
                CONFIG.withElectionTimeouts(Duration.ofMillis(1000), Duration.ofMillis(5000))));
        assertTrue(e.getMessage().contains("set raft.election-timeout-max: 2s"), e.getMessage());
    }

    @Test
    void theLeaseRunsOnlyWhenThePlanFixesTheTimeouts() {
        assertTrue(ElectionTimeouts.tuningFor(ElectionTimeouts.pin(OLD_PLAN, CONFIG), TUNING).leaderLease());
        assertFalse(ElectionTimeouts.tuningFor(OLD_PLAN, TUNING).leaderLease(),
                "a plan without fixed timeouts cannot promise that every follower waits as long as the lease");
        // The other settings pass through unchanged.
        assertEquals(TUNING, ElectionTimeouts.tuningFor(OLD_PLAN, TUNING).withLeaderLease(true));
    }

    @Test
    void anOldPlanAcceptsAnyTimeouts() {
        assertDoesNotThrow(() -> ElectionTimeouts.check(OLD_PLAN,
                CONFIG.withElectionTimeouts(Duration.ofMillis(150), Duration.ofMillis(300))));
    }
}
