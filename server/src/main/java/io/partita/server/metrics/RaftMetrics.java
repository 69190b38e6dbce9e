package io.partita.server.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.partita.raft.group.RaftHost;
import io.partita.raft.group.ReplicaHealth;
import io.partita.raft.statemachine.PartitaStateMachine;
import io.partita.server.cluster.ClusterRuntime;
import java.io.File;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.server.RaftServer;

/**
 * Raft state per data group this node hosts (role, term, indexes, log size, snapshots) and its sums per node. All
 * gauges read Ratis's and the state machine's own state when scraped; nothing is counted on the write path.
 */
final class RaftMetrics {
    private final MetricRegistry registry;
    private final Supplier<ClusterRuntime> runtime;

    RaftMetrics(MetricRegistry registry, Supplier<ClusterRuntime> runtime) {
        this.registry = registry;
        this.runtime = runtime;
        String p = MetricNames.NODE;
        registry.gauge(MetricRegistry.name(p, "groups_hosted"), () -> () -> sum(d -> 1));
        registry.gauge(MetricRegistry.name(p, "groups_led"), () -> () -> sum(d -> d.getInfo().isLeader() ? 1 : 0));
        registry.gauge(MetricRegistry.name(p, "log_bytes"), () -> () -> sum(RaftMetrics::logBytes));
        registry.gauge(MetricRegistry.name(p, "max_apply_lag"), () -> () -> max(RaftMetrics::applyLag));
        // Counted over the replicas the plan places here (metadata group included), so a vanished one counts too.
        registry.gauge(MetricRegistry.name(p, "replicas_stopped"), () -> () -> countReplicas(
                h -> h.state() == ReplicaHealth.State.STOPPED || h.state() == ReplicaHealth.State.MISSING));
        registry.gauge(MetricRegistry.name(p, "replicas_stuck"), () -> () -> countReplicas(
                h -> h.state() == ReplicaHealth.State.STUCK));
    }

    private long countReplicas(Predicate<ReplicaHealth> which) {
        ClusterRuntime rt = runtime.get();
        return rt == null ? 0 : rt.replicaHealth().values().stream().filter(which).count();
    }

    /** Registers the gauges of data group {@code group}, which this node now hosts. */
    void register(int group) {
        registry.gauge(MetricRegistry.name(MetricNames.RAFT, "replica_state", Integer.toString(group)), () -> () -> {
            ClusterRuntime rt = runtime.get();
            return rt == null ? null : (long) rt.host().replicaHealth(group).code();
        });
        gauge(group, "role", d -> role(d.getInfo().getCurrentRole()));
        gauge(group, "leader", d -> d.getInfo().isLeader() ? 1 : 0);
        gauge(group, "term", d -> d.getInfo().getCurrentTerm());
        gauge(group, "commit_index", d -> d.getRaftLog().getLastCommittedIndex());
        gauge(group, "applied_index", d -> d.getInfo().getLastAppliedIndex());
        gauge(group, "apply_lag", RaftMetrics::applyLag);
        gauge(group, "log_bytes", RaftMetrics::logBytes);
        gauge(group, "snapshots_taken", d -> stateMachine(d).takenSnapshots());
        gauge(group, "snapshots_installed", d -> stateMachine(d).installedSnapshots());
        gauge(group, "snapshot_bytes", d -> stateMachine(d).latestSnapshotBytes());
        gauge(group, "installing_snapshot", d -> stateMachine(d).installingSnapshot() ? 1 : 0);
    }

    private void gauge(int group, String name, ToLongFunction<RaftServer.Division> read) {
        registry.gauge(MetricRegistry.name(MetricNames.RAFT, name, Integer.toString(group)),
                () -> () -> read(group, read));
    }

    /** The value, or null (not exported) while the node does not host the group. */
    private Long read(int group, ToLongFunction<RaftServer.Division> read) {
        ClusterRuntime rt = runtime.get();
        if (rt == null) {
            return null;
        }
        try {
            return read.applyAsLong(rt.host().division(group));
        } catch (IOException e) {
            return null;
        }
    }

    private long sum(ToLongFunction<RaftServer.Division> read) {
        return fold(read, false);
    }

    private long max(ToLongFunction<RaftServer.Division> read) {
        return fold(read, true);
    }

    private long fold(ToLongFunction<RaftServer.Division> read, boolean max) {
        ClusterRuntime rt = runtime.get();
        if (rt == null) {
            return 0;
        }
        long total = 0;
        for (int g = 0; g < rt.layout().groupCount(); g++) {
            if (rt.writer(g) == null) {
                continue;
            }
            try {
                long v = read.applyAsLong(rt.host().division(g));
                total = max ? Math.max(total, v) : total + v;
            } catch (IOException e) {
                // The group is being removed: not counted.
            }
        }
        return total;
    }

    /** Entries the leader has committed that this replica has not applied yet (0 on the leader when current). */
    private static long applyLag(RaftServer.Division d) {
        OptionalLong leaderCommit = RaftHost.leaderCommitIndex(d);
        return leaderCommit.isEmpty() ? 0 : Math.max(0, leaderCommit.getAsLong() - d.getInfo().getLastAppliedIndex());
    }

    /** Bytes of the group's Raft log segments (and Ratis metadata) on disk. */
    private static long logBytes(RaftServer.Division d) {
        File[] files = d.getRaftStorage().getStorageDir().getCurrentDir().listFiles(File::isFile);
        long total = 0;
        if (files != null) {
            for (File f : files) {
                total += f.length();
            }
        }
        return total;
    }

    private static PartitaStateMachine stateMachine(RaftServer.Division d) {
        return (PartitaStateMachine) d.getStateMachine();
    }

    /** 0 follower, 1 candidate, 2 leader, 3 listener (a non-voting replica). */
    static long role(RaftPeerRole role) {
        return switch (role) {
            case CANDIDATE -> 1;
            case LEADER -> 2;
            case LISTENER -> 3;
            default -> 0;
        };
    }
}
