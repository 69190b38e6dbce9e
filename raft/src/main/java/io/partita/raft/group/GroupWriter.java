package io.partita.raft.group;

import io.partita.engine.time.Clock;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.ResultCode;
import io.partita.raft.command.CommandCodec;
import io.partita.raft.command.WriteCommands;
import io.partita.raft.command.proto.BatchResult;
import io.partita.raft.command.proto.CommandBatch;
import io.partita.raft.command.proto.WriteCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.protocol.RaftClientReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for one Raft group: client writes queue here and are packed into as few log entries as possible.
 *
 * <p>At most {@link #MAX_IN_FLIGHT} entries of a group are in Raft at once. While they replicate and sync, new writes
 * accumulate and leave together in the next entry, so the entry count (and the per-entry Raft and fsync cost)
 * grows with the sync latency rather than with the client count. A lone write still leaves at once.
 *
 * <p>No thread of its own: the thread that finds the writer idle drains it, i.e. the request thread that submits a
 * write (which then also sends the writes queued behind it) or the Raft thread that completes an entry (which sends
 * the next). A hand-off to a batching thread would cost a park and a wake-up per entry and batch no better.
 */
public final class GroupWriter {
    private static final Logger LOG = LoggerFactory.getLogger(GroupWriter.class);
    /** Two entries in flight: one syncing while the next fills; more only splits batches without gaining. */
    static final int MAX_IN_FLIGHT = 2;

    private record Pending(WriteCommand command, CompletableFuture<WriteOutcome> result, WriteStages stages) {
    }

    /**
     * Told when a write's log entry goes to Raft and when Raft answers (committed and applied, or failed), as
     * {@link System#nanoTime()} values: the queue and Raft stages of a write, for slow-request logs. Called on the
     * batcher and Raft threads, before the write's future completes.
     */
    public interface WriteStages {
        /** A write that records no stages. */
        WriteStages NONE = new WriteStages() {
            @Override
            public void sent(long nanos) {
            }

            @Override
            public void replied(long nanos) {
            }
        };

        void sent(long nanos);

        void replied(long nanos);
    }

    private final int groupIndex;
    private final RaftHost host;
    private final Clock clock;
    private final int maxCommands;
    private final long maxBytes;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger holds = new AtomicInteger();
    private final BatchListener listener;

    /** Observes every entry sent and its outcome, e.g. for batching metrics. */
    public interface BatchListener {
        /** An entry of {@code commands} writes, {@code rawBytes} before and {@code encodedBytes} after LZ4. */
        void onBatch(int commands, int rawBytes, int encodedBytes);

        /** Raft answered an entry {@code nanos} after it was submitted: replicated, synced, committed, applied. */
        default void onReply(long nanos, boolean success) {
        }
    }

    /**
     * @param clock stamps each entry; pass the group's clock ({@link RaftHost#groupClock}) so stamps never run
     *              backwards (the state machine also applies no entry earlier than the one before it)
     */
    public GroupWriter(int groupIndex, RaftHost host, Clock clock, RaftTuning tuning, BatchListener listener) {
        this.groupIndex = groupIndex;
        this.host = host;
        this.clock = clock;
        this.maxCommands = tuning.batchMaxCommands();
        this.maxBytes = tuning.batchMaxBytes();
        this.listener = listener;
    }

    /**
     * Queues a write; the future completes with its outcome once its log entry is applied. Callers build the
     * command on their own thread (see {@link WriteCommands}), so encoding is spread over the request threads.
     */
    public CompletableFuture<WriteOutcome> submit(WriteCommand command) {
        return submit(command, WriteStages.NONE);
    }

    /** As {@link #submit(WriteCommand)}, telling {@code stages} when the write's entry is sent and answered. */
    public CompletableFuture<WriteOutcome> submit(WriteCommand command, WriteStages stages) {
        CompletableFuture<WriteOutcome> result = new CompletableFuture<>();
        queue.add(new Pending(command, result, stages));
        maybeDrain();
        return result;
    }

    /**
     * Holds back the sending of queued writes until the returned hold is released, so that writes submitted together
     * (e.g. the operations of one client message) leave in one entry instead of the first leaving alone. Hold only
     * for the few microseconds of a submitting loop, and always release (try-with-resources): while any hold is
     * open no write of the group leaves.
     */
    public Hold hold() {
        holds.incrementAndGet();
        return new Hold();
    }

    /** An open {@link #hold()}; {@link #close()} releases it once (later calls do nothing). */
    public final class Hold implements AutoCloseable {
        private final AtomicBoolean released = new AtomicBoolean();

        private Hold() {
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                holds.decrementAndGet();
                maybeDrain();
            }
        }
    }

    /**
     * Sends entries while fewer than {@link #MAX_IN_FLIGHT} are in Raft, writes wait and no hold is open, on the
     * calling thread, unless another thread is already doing so. A write queued under a hold is sent by the hold's
     * release. The outer loop looks again after releasing the flag: a write queued after the last look but before the
     * flag cleared would otherwise wait for the next entry to complete.
     */
    private void maybeDrain() {
        while (holds.get() == 0 && inFlight.get() < MAX_IN_FLIGHT && !queue.isEmpty()
                && draining.compareAndSet(false, true)) {
            try {
                while (holds.get() == 0 && inFlight.get() < MAX_IN_FLIGHT && !queue.isEmpty()) {
                    List<Pending> batch = take();
                    if (!batch.isEmpty()) {
                        inFlight.incrementAndGet();
                        send(batch);
                    }
                }
            } finally {
                draining.set(false);
            }
        }
    }

    private List<Pending> take() {
        List<Pending> batch = new ArrayList<>();
        long bytes = 0;
        Pending p;
        while (batch.size() < maxCommands && (p = queue.peek()) != null) {
            int size = p.command().getSerializedSize();
            if (!batch.isEmpty() && bytes + size > maxBytes) {
                break;
            }
            queue.poll();
            batch.add(p);
            bytes += size;
        }
        return batch;
    }

    private void send(List<Pending> batch) {
        if (!host.isLeader(groupIndex)) {
            // Checked before anything reaches the log, so NOT_LEADER here means "not applied": safe to retry.
            finish(batch, ResultCode.NOT_LEADER);
            inFlight.decrementAndGet();
            return;
        }
        CommandBatch.Builder b = CommandBatch.newBuilder().setTimestampMs(clock.nowMs());
        for (Pending p : batch) {
            b.addCommands(p.command());
        }
        CommandBatch commands = b.build();
        byte[] entry = CommandCodec.encode(commands);
        listener.onBatch(batch.size(), commands.getSerializedSize(), entry.length);
        long sent = System.nanoTime();
        for (Pending p : batch) {
            p.stages().sent(sent);
        }
        host.submit(groupIndex, entry, false).whenComplete((reply, error) -> {
            try {
                long replied = System.nanoTime();
                listener.onReply(replied - sent, error == null && reply.isSuccess());
                for (Pending p : batch) {
                    p.stages().replied(replied);
                }
                complete(batch, reply, error);
            } finally {
                inFlight.decrementAndGet();
                maybeDrain();
            }
        });
    }

    private void complete(List<Pending> batch, RaftClientReply reply, Throwable error) {
        if (error != null || !reply.isSuccess()) {
            ResultCode code = failureCode(reply, error);
            LOG.debug("Group {}: batch of {} failed with {}: {}", groupIndex, batch.size(), code,
                    error != null ? error.toString() : reply.getException());
            finish(batch, code);
            return;
        }
        List<WriteOutcome> outcomes;
        try {
            outcomes = WriteCommands.fromResult(BatchResult.parseFrom(reply.getMessage().getContent().toByteArray()));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            LOG.error("Group {}: unreadable state machine reply", groupIndex, e);
            finish(batch, ResultCode.SERVER_ERROR);
            return;
        }
        if (outcomes.size() != batch.size()) {
            LOG.error("Group {}: {} outcomes for {} writes", groupIndex, outcomes.size(), batch.size());
            finish(batch, ResultCode.SERVER_ERROR);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(outcomes.get(i));
        }
    }

    /**
     * Maps a failed submission. A leader that is not yet ready rejects before appending (safe to retry); any other
     * failure, leadership lost mid-flight included, happened after the entry may have reached the log: in doubt.
     */
    private static ResultCode failureCode(RaftClientReply reply, Throwable error) {
        if (reply != null && reply.getLeaderNotReadyException() != null) {
            return ResultCode.NOT_LEADER;
        }
        return ResultCode.IN_DOUBT;
    }

    private static void finish(List<Pending> batch, ResultCode code) {
        WriteOutcome outcome = WriteOutcome.failed(code, false);
        for (Pending p : batch) {
            p.result().complete(outcome);
        }
    }
}
