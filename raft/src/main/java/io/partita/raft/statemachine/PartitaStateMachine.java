package io.partita.raft.statemachine;

import com.google.protobuf.InvalidProtocolBufferException;
import io.partita.engine.storage.AppliedPosition;
import io.partita.engine.storage.GroupStore;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.time.Clock;
import io.partita.engine.write.WriteOutcome;
import io.partita.raft.command.CommandCodec;
import io.partita.raft.command.WriteCommands;
import io.partita.raft.command.proto.CommandBatch;
import io.partita.raft.command.proto.ReadQuery;
import io.partita.raft.command.proto.ReadResult;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Raft group's state machine: applies LZ4-compressed command batches into the group's RocksDB column family and
 * answers linearizable point reads.
 *
 * <p>Replay safety: the (term, index) of the last applied entry is written in the same RocksDB batch as its data.
 * Entries at or below it are skipped, so Ratis may replay the log from any earlier point (after a restart or a
 * crash that lost the RocksDB tail) and each entry still takes effect exactly once.
 */
public final class PartitaStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(PartitaStateMachine.class);

    private final int groupIndex;
    private final NodeStore nodeStore;
    private final Clock clock;
    private volatile GroupStore store;
    /** Highest index already reflected in RocksDB when this state machine (re)started. */
    private volatile long durableAppliedIndex = -1;

    public PartitaStateMachine(int groupIndex, NodeStore nodeStore, Clock clock) {
        this.groupIndex = groupIndex;
        this.nodeStore = nodeStore;
        this.clock = clock;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            load();
        });
    }

    private void load() {
        store = nodeStore.group(groupIndex);
        AppliedPosition position = store.appliedPosition();
        // Not reported to Ratis as applied: with no snapshot Ratis replays the log from its start, and its
        // applied index may only move forward, so replayed entries up to this index are acknowledged and skipped.
        durableAppliedIndex = position.index();
        LOG.info("Group {} state machine loaded at applied index {}", groupIndex, position.index());
    }

    @Override
    public void pause() {
        // Ratis requires RUNNING -> PAUSING -> PAUSED before a snapshot install, then reinitialize() back to RUNNING.
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        getLifeCycle().transition(LifeCycle.State.STARTING);
        load();
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        // Snapshots arrive with the snapshot issue; until then Raft keeps the whole log.
        return null;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        long term = entry.getTerm();
        if (index <= durableAppliedIndex) {
            updateLastAppliedTermIndex(term, index);
            return CompletableFuture.completedFuture(Message.EMPTY);
        }
        CommandBatch batch = CommandCodec.decode(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
        List<WriteOutcome> outcomes = store.apply(new AppliedPosition(term, index), batch.getTimestampMs(),
                WriteCommands.toOps(batch.getCommandsList()));
        updateLastAppliedTermIndex(term, index);
        byte[] reply = WriteCommands.toResult(outcomes).toByteArray();
        return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            ReadQuery q = ReadQuery.parseFrom(request.getContent().toByteArray());
            byte[] record = store.readEncoded(q.getNamespace(), q.getDigest().toByteArray(), clock.nowMs());
            ReadResult.Builder result = ReadResult.newBuilder();
            if (record != null) {
                result.setRecord(com.google.protobuf.UnsafeByteOperations.unsafeWrap(record));
            }
            return CompletableFuture.completedFuture(
                    Message.valueOf(UnsafeByteOperations.unsafeWrap(result.build().toByteArray())));
        } catch (InvalidProtocolBufferException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("malformed read query", e));
        }
    }

    @Override
    public void close() throws IOException {
        getLifeCycle().checkStateAndClose(() -> LOG.debug("Group {} state machine closed", groupIndex));
    }
}
