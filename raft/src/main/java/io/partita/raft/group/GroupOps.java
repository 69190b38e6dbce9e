package io.partita.raft.group;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.Limits;
import io.partita.protocol.ResultCode;
import io.partita.raft.command.WriteCommands;
import io.partita.raft.command.proto.ReadQuery;
import io.partita.raft.command.proto.ReadResult;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.server.DivisionInfo;

/**
 * The front end's way into this node's data groups: it hands over engine {@link WriteOp}s and key reads and gets
 * typed outcomes back, never a Ratis type or a log command. How writes become log entries (the {@link GroupWriter}'s
 * batches) and how a linearizable read confirms leadership stay behind this class, so the raft module can change
 * them without touching the front end.
 *
 * <p>Every method answers in-band: a group this node does not lead, or holds no replica of, is
 * {@link ResultCode#NOT_LEADER} (writes) or {@link ReadOutcome.Kind#NOT_LEADER} (reads), never an exception.
 */
public final class GroupOps {
    private static final WriteOutcome NOT_LEADER = WriteOutcome.failed(ResultCode.NOT_LEADER, false);

    private final RaftHost host;
    private final IntFunction<GroupWriter> writers;

    /**
     * @param writers the writer of each group index, or null for a group this node holds no replica of (yet)
     */
    public GroupOps(RaftHost host, IntFunction<GroupWriter> writers) {
        this.host = host;
        this.writers = writers;
    }

    /** The term of a group as this node's replica knows it, and the leader it follows (null when none is known). */
    public record Leadership(long term, String leaderId) {
    }

    /**
     * Queues a write for the group's next log entry; the future completes once the entry is applied, with the
     * write's outcome: NOT_LEADER when nothing reached the log (safe to retry elsewhere), IN_DOUBT when leadership
     * was lost after it may have. Never completes exceptionally. The log command is built here, on the caller's
     * thread, so encoding is spread over the request threads.
     *
     * @param encodedPayload {@code op}'s bins (or an operate's operations) already encoded by the caller, or null
     *                       to encode them here (see {@link WriteCommands#toCommand(WriteOp, byte[])})
     * @param stages      told when the write's entry goes to Raft and when Raft answers
     */
    public CompletableFuture<WriteOutcome> write(int group, WriteOp op, byte[] encodedPayload,
                                                 GroupWriter.WriteStages stages) {
        GroupWriter writer = writers.apply(group);
        if (writer == null) {
            return CompletableFuture.completedFuture(NOT_LEADER);
        }
        return writer.submit(encodedPayload == null ? WriteCommands.toCommand(op)
                : WriteCommands.toCommand(op, encodedPayload), stages);
    }

    /**
     * Holds the group's writer (see {@link GroupWriter#hold()}) so that writes submitted until the hold is closed leave
     * in one entry; null if this node has no writer for the group (its writes answer NOT_LEADER anyway).
     */
    public GroupWriter.Hold hold(int group) {
        GroupWriter writer = writers.apply(group);
        return writer == null ? null : writer.hold();
    }

    /** Queues each op as its own write (in order; the writer packs them into entries), as {@link #write}. */
    public List<CompletableFuture<WriteOutcome>> writeAll(int group, List<WriteOp> ops) {
        return ops.stream().map(op -> write(group, op, null, GroupWriter.WriteStages.NONE)).toList();
    }

    /** Partitions per truncate log entry: bounds how many records one entry's apply visits. */
    static final int TRUNCATE_PARTITIONS_PER_ENTRY = 64;

    /**
     * What a truncate of one group did.
     *
     * @param code    OK when every range was truncated; NOT_LEADER if leadership moved before a range (the ranges
     *                before it were truncated: sending the truncate again is safe); IN_DOUBT if it moved during one
     * @param removed records removed by the ranges that completed
     */
    public record Truncated(ResultCode code, long removed) {
    }

    /**
     * Truncates a namespace (or one of its sets) in a group this node leads: removes the records last updated before
     * {@code beforeMs}, {@value #TRUNCATE_PARTITIONS_PER_ENTRY} partitions per log entry, one entry after another, so
     * no single apply visits more than that share of the group. Replicated like any write: durable, and the same on
     * every replica. Never completes exceptionally.
     *
     * @param set {@code ""} for every set of the namespace
     */
    public CompletableFuture<Truncated> truncate(int group, String namespace, String set, long beforeMs) {
        return truncateFrom(group, namespace, set, beforeMs, 0, 0);
    }

    private CompletableFuture<Truncated> truncateFrom(int group, String namespace, String set, long beforeMs,
                                                      int from, long removed) {
        if (from >= Limits.PARTITION_COUNT) {
            return CompletableFuture.completedFuture(new Truncated(ResultCode.OK, removed));
        }
        GroupWriter writer = writers.apply(group);
        if (writer == null || !host.isLeader(group)) {
            return CompletableFuture.completedFuture(new Truncated(ResultCode.NOT_LEADER, removed));
        }
        int to = Math.min(Limits.PARTITION_COUNT, from + TRUNCATE_PARTITIONS_PER_ENTRY);
        WriteOp op = WriteOp.truncate(namespace, new WriteOp.Truncate(set, beforeMs, from, to));
        return writer.submit(WriteCommands.toCommand(op)).thenCompose(outcome -> {
            if (outcome.code() != ResultCode.OK) {
                return CompletableFuture.completedFuture(new Truncated(outcome.code(), removed));
            }
            long count = ((Number) outcome.operated().results().get(0)).longValue();
            return truncateFrom(group, namespace, set, beforeMs, to, removed + count);
        });
    }

    /**
     * A linearizable read of one record at the group's leader: Raft confirms leadership (ReadIndex) before the state
     * machine reads, so the answer reflects every write acknowledged before the read began. Never completes
     * exceptionally.
     */
    public CompletableFuture<ReadOutcome> read(int group, String namespace, byte[] digest) {
        if (!host.isLeader(group)) {
            return CompletableFuture.completedFuture(ReadOutcome.notLeader());
        }
        byte[] query = ReadQuery.newBuilder()
                .setNamespace(namespace)
                .setDigest(UnsafeByteOperations.unsafeWrap(digest))
                .build().toByteArray();
        return host.submit(group, query, true).handle(GroupOps::readOutcome);
    }

    /** Whether this node leads the group, is ready to serve, and has a writer for it. */
    public boolean leads(int group) {
        return writers.apply(group) != null && host.isLeader(group);
    }

    /** The node id this node believes leads the group, if any. */
    public Optional<String> leaderOf(int group) {
        return host.leaderOf(group);
    }

    /** The group's term and leader as this node's replica knows them; empty if this node holds no replica of it. */
    public Optional<Leadership> leadership(int group) {
        try {
            DivisionInfo info = host.division(group).getInfo();
            RaftPeerId leader = info.getLeaderId();
            return Optional.of(new Leadership(info.getCurrentTerm(), leader == null ? null : leader.toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Interprets Ratis's answer to a read query. A refusal before anything was read (not the leader, leader not
     * ready) is NOT_LEADER; any other Raft failure means the ReadIndex round could not confirm leadership
     * (UNCONFIRMED: also nothing read); anything else is unexpected.
     */
    static ReadOutcome readOutcome(RaftClientReply reply, Throwable error) {
        try {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof NotLeaderException || cause instanceof LeaderNotReadyException) {
                    return ReadOutcome.notLeader();
                }
                if (cause instanceof RaftException) {
                    return ReadOutcome.unconfirmed(String.valueOf(cause));
                }
                return ReadOutcome.failed(error);
            }
            if (!reply.isSuccess()) {
                if (reply.getNotLeaderException() != null || reply.getLeaderNotReadyException() != null) {
                    return ReadOutcome.notLeader();
                }
                return ReadOutcome.unconfirmed(String.valueOf(reply.getException()));
            }
            ReadResult result = ReadResult.parseFrom(reply.getMessage().getContent().toByteArray());
            return result.getRecord().isEmpty() ? ReadOutcome.notFound()
                    : ReadOutcome.found(result.getRecord().toByteArray());
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return ReadOutcome.failed(e);
        }
    }
}
