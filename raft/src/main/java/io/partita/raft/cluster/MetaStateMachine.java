package io.partita.raft.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import io.partita.protocol.v1.ClusterPlan;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The metadata group's state machine: the cluster plan in force is the highest plan version in its Raft log. Each
 * log entry proposes a {@link ClusterPlan}; it takes effect when it belongs to the cluster and is newer than the
 * plan in force, and is then handed to the node ({@link PlanSink#offer}). Replies and queries return the plan in
 * force as bytes (an empty plan, version 0, before the log holds one).
 *
 * <p>The plan in force is computed from the log alone, never from the node's own copy: a node also hears of plans
 * from pushes and seeds, and what the metadata group answers must be only what it committed, the same on every
 * replica (a node adopts a pushed plan only after reading it back from here). Replaying the whole log after a
 * restart rebuilds it; this state machine takes no snapshots, so Ratis never purges the log (one small entry per
 * plan change).
 */
public final class MetaStateMachine extends BaseStateMachine {
    private final PlanSink sink;
    private volatile ClusterPlan inForce = ClusterPlan.getDefaultInstance();

    public MetaStateMachine(PlanSink sink) {
        this.sink = sink;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        ByteString data = entry.getStateMachineLogEntry().getLogData();
        try {
            ClusterPlan proposed = ClusterPlan.parseFrom(data.toByteArray());
            ClusterPlan before = inForce;
            if (before.getVersion() > 0 && !before.getClusterId().equals(proposed.getClusterId())) {
                throw new IllegalArgumentException("the metadata group holds the plan of cluster "
                        + before.getClusterId() + ", not of cluster " + proposed.getClusterId());
            }
            ClusterPlan after = proposed.getVersion() > before.getVersion() ? proposed : before;
            inForce = after;
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            sink.offer(after);
            return CompletableFuture.completedFuture(asMessage(after));
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // A proposal that cannot be read or is of another cluster changes nothing; the proposer gets the failure.
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The plan version this replica has applied from the metadata log (0: none yet). */
    public long lastLoggedVersion() {
        return inForce.getVersion();
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(asMessage(inForce));
    }

    private static Message asMessage(ClusterPlan plan) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(plan.toByteArray()));
    }
}
