package io.partita.server.frontend;

import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.DeleteResponse;
import io.partita.protocol.v1.ExistsResponse;
import io.partita.protocol.v1.GetResponse;
import io.partita.protocol.v1.Op;
import io.partita.protocol.v1.OpFrame;
import io.partita.protocol.v1.PutResponse;
import io.partita.protocol.v1.Reply;
import io.partita.protocol.v1.ReplyFrame;
import io.partita.protocol.v1.Status;
import io.partita.protocol.v1.OperateResponse;
import io.partita.protocol.v1.TouchResponse;
import io.partita.server.metrics.OpMetrics;
import io.partita.server.security.Access;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's Multiplex stream: many operations per network message. Each incoming frame's operations are handed to
 * {@link RecordService}'s handlers exactly as unary calls would be (so each keeps its own validation, metrics and
 * result code), with the frame's writes to one group held to share a log entry ({@link FrameScope}). Replies queue as
 * they complete and are sent by whichever thread finds the stream idle; replies that complete while a message is
 * being sent leave together in the next one. No timers.
 *
 * <p>Flow control: frames are requested one at a time, and no more while {@value #MAX_OUTSTANDING} operations are
 * dispatched but not yet answered on the wire; replies wait while the transport is not ready. Memory is bounded by
 * the operations in flight, never by how fast a client sends or how slowly it reads.
 */
final class MultiplexStream implements StreamObserver<OpFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(MultiplexStream.class);
    /** Operations dispatched and not yet sent back, above which no further frame is read. */
    static final int MAX_OUTSTANDING = 4096;
    /** A reply message holds replies up to this size (one larger reply goes alone). */
    static final int MAX_REPLY_FRAME_BYTES = 1 << 20;

    private final RecordService records;
    private final ServerCallStreamObserver<ReplyFrame> out;
    private final OpMetrics metrics;
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicBoolean paused = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile boolean halfClosed;
    private volatile boolean completed; // written only while holding `sending`

    private final Access access;
    /** The context of a renewed session token (OpFrame.token), or null while the stream's own applies. */
    private volatile Context renewed;

    private MultiplexStream(RecordService records, ServerCallStreamObserver<ReplyFrame> out, OpMetrics metrics,
                            Access access) {
        this.records = records;
        this.out = out;
        this.metrics = metrics;
        this.access = access;
    }

    /** Sets up flow control on {@code out} (must run inside the service method) and reads the first frame. */
    static MultiplexStream open(RecordService records, ServerCallStreamObserver<ReplyFrame> out, OpMetrics metrics,
                                Access access) {
        MultiplexStream s = new MultiplexStream(records, out, metrics, access);
        out.disableAutoRequest();
        // Not ready while any reply bytes wait for the socket: replies completing meanwhile queue up and leave
        // together when the transport calls the ready handler, one message instead of one each.
        out.setOnReadyThreshold(1);
        out.setOnReadyHandler(s::drain);
        out.setOnCancelHandler(() -> {
            s.cancelled = true;
            s.replies.clear();
        });
        out.request(1);
        return s;
    }

    @Override
    public void onNext(OpFrame frame) {
        long received = System.nanoTime();
        int count = frame.getOpsCount();
        metrics.frame(count);
        outstanding.addAndGet(count);
        String refusal = null;
        if (!frame.getToken().isEmpty() && access.enforced()) {
            try {
                renewed = access.contextFor(frame.getToken());
            } catch (RequestException e) {
                refusal = e.getMessage();
                for (Op op : frame.getOpsList()) {
                    enqueue(failure(op, e.code(), refusal));
                }
            }
        }
        if (refusal == null) {
            Context context = renewed;
            if (context == null) {
                dispatchAll(frame, received);
            } else {
                context.run(() -> dispatchAll(frame, received));
            }
        }
        if (outstanding.get() < MAX_OUTSTANDING) {
            out.request(1);
        } else {
            paused.set(true);
            resumeIfRoom(); // replies may all have left while the flag was not yet set
        }
    }

    private void dispatchAll(OpFrame frame, long receivedNanos) {
        try (FrameScope scope = new FrameScope()) {
            for (Op op : frame.getOpsList()) {
                dispatch(op, receivedNanos, scope);
            }
        }
    }

    private void dispatch(Op op, long receivedNanos, FrameScope scope) {
        long id = op.getId();
        long timeoutMs = Integer.toUnsignedLong(op.getTimeoutMs()); // uint32: over 2^31 is not "none"
        if (timeoutMs > 0 && System.nanoTime() - receivedNanos >= TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
            // The client has given up on it: starting it now could only apply a write it reports as failed.
            enqueue(failure(op, ResultCode.TIMEOUT, "the operation's deadline passed before the node could start"
                    + " it; it was not applied"));
            return;
        }
        try {
            switch (op.getRequestCase()) {
                case PUT -> records.put(op.getPut(), answer(op, Reply.Builder::setPut), scope);
                case DELETE -> records.delete(op.getDelete(), answer(op, Reply.Builder::setDelete), scope);
                case TOUCH -> records.touch(op.getTouch(), answer(op, Reply.Builder::setTouch), scope);
                case OPERATE -> records.operate(op.getOperate(), answer(op, Reply.Builder::setOperate), scope);
                case GET -> records.get(op.getGet(), answer(op, Reply.Builder::setGet));
                case EXISTS -> records.exists(op.getExists(), answer(op, Reply.Builder::setExists));
                default -> enqueue(Reply.newBuilder().setId(id).build()); // nothing to answer with: the client refuses it
            }
        } catch (RuntimeException e) {
            // The handlers answer every outcome in-band; this is a bug, and nothing was submitted.
            LOG.error("Multiplexed operation {} failed before reaching its handler", op.getRequestCase(), e);
            enqueue(failure(op, ResultCode.SERVER_ERROR, "the node failed to start the operation: " + e
                    + " (see the node log)"));
        }
    }

    /** An observer that turns the handler's one response into a reply for {@code op}. */
    private <R> StreamObserver<R> answer(Op op, BiConsumer<Reply.Builder, R> set) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R response) {
                Reply.Builder b = Reply.newBuilder().setId(op.getId());
                set.accept(b, response);
                enqueue(b.build());
            }

            @Override
            public void onError(Throwable t) {
                LOG.error("Multiplexed operation {} failed", op.getRequestCase(), t);
                enqueue(failure(op, ResultCode.SERVER_ERROR, "the node failed: " + t + " (see the node log)"));
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private static Reply failure(Op op, ResultCode code, String message) {
        Status status = Status.newBuilder().setCode(code.code()).setMessage(message).build();
        Reply.Builder b = Reply.newBuilder().setId(op.getId());
        switch (op.getRequestCase()) {
            case PUT -> b.setPut(PutResponse.newBuilder().setStatus(status));
            case GET -> b.setGet(GetResponse.newBuilder().setStatus(status));
            case DELETE -> b.setDelete(DeleteResponse.newBuilder().setStatus(status));
            case EXISTS -> b.setExists(ExistsResponse.newBuilder().setStatus(status));
            case TOUCH -> b.setTouch(TouchResponse.newBuilder().setStatus(status));
            case OPERATE -> b.setOperate(OperateResponse.newBuilder().setStatus(status));
            default -> {
            }
        }
        return b.build();
    }

    private void enqueue(Reply reply) {
        if (cancelled) {
            return;
        }
        replies.add(reply);
        drain();
    }

    /**
     * Sends queued replies while the transport is ready, as few messages as their size allows. Runs on whichever
     * thread finds no other sending (StreamObserver is not thread-safe); the others leave their reply queued for it.
     */
    private void drain() {
        while (sending.compareAndSet(false, true)) {
            try {
                while (!cancelled && out.isReady() && !replies.isEmpty()) {
                    ReplyFrame.Builder frame = ReplyFrame.newBuilder();
                    long bytes = 0;
                    Reply r;
                    while ((r = replies.peek()) != null) {
                        int size = r.getSerializedSize();
                        if (frame.getRepliesCount() > 0 && bytes + size > MAX_REPLY_FRAME_BYTES) {
                            break;
                        }
                        replies.poll();
                        frame.addReplies(r);
                        bytes += size;
                    }
                    out.onNext(frame.build());
                    metrics.replyFrame(frame.getRepliesCount());
                    outstanding.addAndGet(-frame.getRepliesCount());
                    resumeIfRoom();
                }
                if (halfClosed && !completed && !cancelled && outstanding.get() == 0 && replies.isEmpty()) {
                    completed = true;
                    out.onCompleted();
                }
            } catch (RuntimeException e) {
                LOG.warn("Cannot send Multiplex replies; dropping the stream: {}", e.toString());
                cancelled = true;
                replies.clear();
            } finally {
                sending.set(false);
            }
            // A reply queued (or the last one sent) after our last look, while `sending` was still set, is ours.
            boolean finishDue = halfClosed && !completed && outstanding.get() == 0;
            if (cancelled || !out.isReady() || replies.isEmpty() && !finishDue) {
                return;
            }
        }
    }

    /** Reads the next frame if reading was paused for outstanding operations and enough were answered. */
    private void resumeIfRoom() {
        if (paused.get() && outstanding.get() < MAX_OUTSTANDING / 2 && paused.compareAndSet(true, false)) {
            out.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        // The client went away: replies still to come have nowhere to go.
        cancelled = true;
        replies.clear();
    }

    @Override
    public void onCompleted() {
        halfClosed = true;
        drain();
    }
}
