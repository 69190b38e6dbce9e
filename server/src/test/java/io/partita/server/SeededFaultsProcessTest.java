package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.ClientConfig;
import io.partita.client.PartitaClient;
import io.partita.server.FaultSchedule.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workload beside seeded faults, in the spirit of FoundationDB's simulation: three nodes as OS processes whose Raft
 * traffic passes through {@link PartitionProxy}, concurrent clients ({@link ClusterWorkload}), and a
 * {@link FaultSchedule} of {@link Fault}s (kill -9, SIGSTOP, partitions one way and both ways, a wiped disk, a skewed
 * clock) chosen by a seed. Afterwards no acknowledged write may be lost, no write reported as not applied may be
 * visible, and the history must be linearizable. Every failure message prints the seed and the schedule; run again
 * with {@code -Dpartita.faults.seed=SEED} to replay it.
 *
 * <p>The short run is part of the default suite. The long run (at least 3 minutes, every kind of fault) runs with
 * {@code -Pfaults-long} (see README, "Fault tests").
 */
class SeededFaultsProcessTest {
    private static final Logger LOG = LoggerFactory.getLogger(SeededFaultsProcessTest.class);
    private static final int GROUPS = 8;
    private static final List<Kind> SHORT_KINDS = List.of(Kind.KILL, Kind.PAUSE, Kind.PARTITION_OUT, Kind.PARTITION_IN,
            Kind.PARTITION_BOTH);
    /** Enables {@link #longRunWithEveryFault()}; the faults-long Maven profile sets it. */
    static final String LONG_PROPERTY = "partita.faults.long";
    /** Seconds of the long run, at least 180. */
    static final String LONG_SECONDS_PROPERTY = "partita.faults.long.seconds";
    /** The long run's kinds of fault, comma-separated {@link Kind} names; default all (e.g. to leave one out). */
    static final String LONG_KINDS_PROPERTY = "partita.faults.long.kinds";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /**
     * Kill, pause and partitions (one way each way, both ways), each at least once, for about 45 s; then, on the
     * healed cluster, the scripted checks of {@link ClusterFaultsProcessTest} (which runs in {@code faults-long} only):
     * a paused leader must not serve a stale read when it resumes, and every acknowledged write must survive a kill
     * of every node at once.
     */
    @Test
    void shortSeededRunKeepsEveryAcknowledgedWriteAndIsLinearizable() throws Exception {
        FaultSchedule schedule = FaultSchedule.random(FaultSchedule.chooseSeed(), Duration.ofSeconds(45), SHORT_KINDS,
                SHORT_KINDS, 3, GROUPS, 0);
        // A killed node is ready again in about 30 s here (its peers' connections to it back off); 120 s leaves room
        // for a loaded CI machine.
        run(schedule, Duration.ofSeconds(120), true);
    }

    /**
     * Every kind of fault, a wiped disk and a skewed clock included, and partitions composed with a pause or a kill
     * of another node, for at least three minutes.
     */
    @Test
    @EnabledIfSystemProperty(named = LONG_PROPERTY, matches = "true")
    void longRunWithEveryFault() throws Exception {
        long seconds = Math.max(180, Long.getLong(LONG_SECONDS_PROPERTY, 240));
        String only = System.getProperty(LONG_KINDS_PROPERTY, "");
        List<Kind> all = only.isBlank() ? List.of(Kind.values())
                : java.util.Arrays.stream(only.split(",")).map(k -> Kind.valueOf(k.strip())).toList();
        FaultSchedule schedule = FaultSchedule.random(FaultSchedule.chooseSeed(), Duration.ofSeconds(seconds), all, all, 3,
                GROUPS, 4);
        run(schedule, Duration.ofSeconds(180), false);
    }

    /**
     * @param scripted after the schedule, also {@link FailoverChecks}: the paused-leader stale read (while the
     *                 workload runs) and, after the checks, a kill of every node at once
     */
    private void run(FaultSchedule schedule, Duration readyTimeout, boolean scripted) throws Exception {
        LOG.info("{}", schedule.describe());
        try (ProcessCluster cluster = ProcessCluster.startPartitionable(dir, 3, 3, GROUPS);
             PartitaClient first = connect(cluster);
             PartitaClient second = connect(cluster);
             PartitaClient third = connect(cluster)) {
            FaultContext ctx = new FaultContext(cluster, readyTimeout);
            ClusterWorkload workload = new ClusterWorkload(List.of(first, second, third), 8, 4_000);
            try {
                workload.start(6);
                Thread.sleep(1_000);
                Exception faultFailure = null;
                try {
                    schedule.run(ctx, new AtomicBoolean());
                } catch (Exception e) {
                    faultFailure = e;
                }
                makeWhole(cluster, ctx);
                if (faultFailure != null) {
                    throw new AssertionError("a fault could not be injected or healed: " + faultFailure,
                            faultFailure);
                }
                if (scripted) {
                    // The workload runs on the healed cluster meanwhile.
                    ctx.event("scripted: SIGSTOP the probe key's leader, read from it after SIGCONT");
                    FailoverChecks.pausedLeaderNeverServesAStaleRead(cluster, first, GROUPS);
                } else {
                    Thread.sleep(1_000); // the workload runs on a healed cluster for a moment
                }
                workload.stop();
                verify(cluster, ctx, workload, first);
                if (scripted) {
                    ctx.event("scripted: kill -9 every node at once, then start them all");
                    FailoverChecks.killEveryNodeAtOnceAndRestart(cluster);
                    ctx.event("every node is ready again");
                    assertEquals(List.of(), workload.checkFreshWrites(first), "after every node was killed at once");
                }
            } catch (Exception | AssertionError e) {
                workload.stop();
                throw new AssertionError(e.getMessage() + "\n" + schedule.describe() + "\nwhat happened:\n  "
                        + String.join("\n  ", ctx.events()), e);
            }
        }
    }

    /** Heals whatever a failed step left broken, so the checks below read a whole cluster. */
    private static void makeWhole(ProcessCluster cluster, FaultContext ctx) throws Exception {
        cluster.network().healAll();
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.node(i).alive()) {
                cluster.node(i).signal("CONT");
            } else {
                ctx.restart(i, List.of());
            }
        }
        ctx.event("every node runs, the network is whole");
    }

    private static void verify(ProcessCluster cluster, FaultContext ctx, ClusterWorkload workload,
                               PartitaClient reader) {
        LOG.info("workload: {} ok, {} failed {}, {} fresh writes acknowledged, {} not applied; {} Raft bytes dropped",
                workload.okOps.get(), workload.failedOps.get(), workload.failures, workload.acknowledged.size(),
                workload.notApplied.size(), cluster.network().droppedBytes());
        assertEquals(List.of(), ctx.problems(), "problems while injecting faults");
        assertEquals(0, cluster.network().unknownSources(), "Raft connections the proxy could not attribute");
        assertTrue(workload.okOps.get() > 100, "the clients kept working: " + workload.okOps.get() + " ok ops");
        List<String> lost = new ArrayList<>(workload.checkFreshWrites(reader));
        assertEquals(List.of(), lost, "acknowledged writes lost or failed writes visible");
        workload.assertLinearizable(Duration.ofSeconds(120));
    }

    private static PartitaClient connect(ProcessCluster cluster) {
        return PartitaClient.connect(ClientConfig.builder().seeds(cluster.clientAddresses()).build());
    }
}
