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
 * The metadata group's state machine. Each log entry proposes a {@link ClusterPlan}; the node keeps it when it is
 * newer than the plan in force (see {@link PlanSink#offer}), so replaying the whole log after a restart is harmless.
 * Replies and queries return the plan in force as bytes.
 */
public final class MetaStateMachine extends BaseStateMachine {
    private final PlanSink sink;
    private volatile long lastLoggedVersion;

    public MetaStateMachine(PlanSink sink) {
        this.sink = sink;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        ByteString data = entry.getStateMachineLogEntry().getLogData();
        try {
            ClusterPlan proposed = ClusterPlan.parseFrom(data.toByteArray());
            ClusterPlan inForce = sink.offer(proposed);
            lastLoggedVersion = Math.max(lastLoggedVersion, proposed.getVersion());
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            return CompletableFuture.completedFuture(asMessage(inForce));
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // A proposal that cannot be read or adopted changes nothing; the proposer gets the failure.
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The highest plan version this replica has applied from the metadata log (0: none yet). */
    public long lastLoggedVersion() {
        return lastLoggedVersion;
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(
                asMessage(sink.current().orElse(ClusterPlan.getDefaultInstance())));
    }

    private static Message asMessage(ClusterPlan plan) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(plan.toByteArray()));
    }
}
