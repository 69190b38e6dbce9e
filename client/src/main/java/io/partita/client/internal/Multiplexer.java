package io.partita.client.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.partita.protocol.v1.Op;
import io.partita.protocol.v1.OpFrame;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.protocol.v1.Reply;
import io.partita.protocol.v1.ReplyFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many operations per network message on one connection: a long-lived Multiplex stream (re-opened after a failure)
 * and a queue of outgoing operations. The thread that finds the stream idle writes everything queued as one
 * {@link OpFrame}; operations that arrive while it writes, or while the previous frame's bytes have not all reached
 * the socket (the stream counts as not ready until then), leave together in the next frame, sent from the transport's
 * ready callback. No timer: a lone operation on an idle connection leaves at once, on its caller's thread.
 *
 * <p>Each operation is answered exactly once through its {@link Callback}: its reply, or a failure, which is either
 * its own deadline ({@code DEADLINE_EXCEEDED}, enforced here with the scheduler) or the failure of the stream it was
 * sent on, as a unary call on a broken connection would fail.
 */
final class Multiplexer {
    private static final Logger LOG = LoggerFactory.getLogger(Multiplexer.class);
    /** Operations at most this large travel on the stream; larger ones go as unary calls. */
    static final int MAX_OP_BYTES = 512 * 1024;
    /**
     * A frame holds operations up to this size, so it always fits the node's inbound limit (its largest record plus
     * 1 MiB): a frame too large would fail the whole stream and every operation on it.
     */
    static final int MAX_FRAME_BYTES = 1 << 20;
    /** gRPC's ready threshold (bytes queued for the socket below which the stream is ready): only when all are out. */
    private static final int FLUSHED = 1;

    /** Told the outcome of one operation, once. Runs on gRPC or scheduler threads: must not block. */
    interface Callback {
        /** The node's answer. */
        void onReply(Reply reply);

        /** The operation may have reached the node, but no answer will come (stream failure, deadline). */
        void onFailure(Throwable t);

        /** The operation was never written to any stream: the node cannot have seen it. */
        void onNotSent(Throwable t);
    }

    private final Channel channel;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by lock
    private Stream stream; // guarded by lock; null until needed and after a failure
    private boolean flushing; // guarded by lock
    private final AtomicLong ids = new AtomicLong();
    private final Supplier<String> token;
    /**
     * The multiplexers that operations were queued on while this thread held its frames ({@link #holdingFrames}),
     * or null when it does not hold them.
     */
    private static final ThreadLocal<Set<Multiplexer>> HELD = new ThreadLocal<>();

    Multiplexer(Channel channel, ScheduledExecutorService scheduler) {
        this(channel, scheduler, () -> null);
    }

    /** @param token the session's current token (null without users): a renewed one travels in the next frame */
    Multiplexer(Channel channel, ScheduledExecutorService scheduler, Supplier<String> token) {
        this.channel = channel;
        this.scheduler = scheduler;
        this.token = token;
    }

    /**
     * Queues an operation and sends it, with whatever else is queued, if the stream is free.
     *
     * @param op              the operation (its id and timeout are set here)
     * @param deadlineNanos   the attempt's deadline ({@link System#nanoTime()} based); the operation fails with
     *                        {@code DEADLINE_EXCEEDED} then if unanswered
     * @param callback        told the outcome
     * @throws RejectedExecutionException if the scheduler is shut down (the client is closed)
     */
    void send(Op.Builder op, long deadlineNanos, Callback callback) {
        Pending p = new Pending(ids.incrementAndGet(), op, deadlineNanos, callback);
        p.timer = scheduler.schedule(p::expire, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        synchronized (lock) {
            queue.add(p);
        }
        Set<Multiplexer> held = HELD.get();
        if (held != null) {
            held.add(this);
            return;
        }
        flush();
    }

    /**
     * Runs {@code submit} with this thread's sends held: operations it queues (on any connection) stay queued until it
     * returns, then leave together, as few frames per connection as their size allows, instead of the first one
     * leaving alone. A batch call submits its keys this way so that each node gets them in one message. Only this
     * thread's sends are held; retries on other threads, and other callers, flush as usual.
     */
    static void holdingFrames(Runnable submit) {
        if (HELD.get() != null) {
            submit.run(); // already holding: the outer call flushes
            return;
        }
        Set<Multiplexer> held = new LinkedHashSet<>();
        HELD.set(held);
        try {
            submit.run();
        } finally {
            HELD.remove();
            for (Multiplexer m : held) {
                m.flush();
            }
        }
    }

    /** Writes queued operations while the stream is free and ready; returns when another thread has the stream. */
    private void flush() {
        while (true) {
            Stream s;
            List<Pending> batch;
            synchronized (lock) {
                if (flushing || queue.isEmpty()) {
                    return;
                }
                if (stream == null) {
                    stream = open();
                    if (stream == null) {
                        failQueued(Status.UNAVAILABLE.withDescription("cannot open a Multiplex stream: the client's "
                            + "channel is shut down").asRuntimeException());
                        return;
                    }
                }
                s = stream;
                if (!s.requests.isReady()) {
                    return; // the stream's ready handler flushes once the transport takes more
                }
                flushing = true;
                batch = take(s);
                s.wrote |= !batch.isEmpty();
            }
            try {
                if (!batch.isEmpty()) {
                    write(s, batch);
                }
            } catch (RuntimeException e) {
                failed(s, Status.UNAVAILABLE.withDescription("cannot write to the Multiplex stream: " + e)
                    .withCause(e).asRuntimeException());
            } finally {
                synchronized (lock) {
                    flushing = false;
                }
            }
        }
    }

    /** Takes queued operations for one frame and registers them as in flight on {@code s}. Holds lock. */
    private List<Pending> take(Stream s) {
        List<Pending> batch = new ArrayList<>();
        long bytes = 0;
        Pending p;
        while ((p = queue.peek()) != null) {
            if (p.done.get()) { // expired while queued: never sent
                queue.poll();
                continue;
            }
            int size = p.size;
            if (!batch.isEmpty() && bytes + size > MAX_FRAME_BYTES) {
                break;
            }
            queue.poll();
            batch.add(p);
            p.sentOn = s;
            s.inFlight.put(p.id, p);
            bytes += size;
        }
        return batch;
    }

    private void write(Stream s, List<Pending> batch) {
        OpFrame.Builder frame = OpFrame.newBuilder();
        long now = System.nanoTime();
        for (Pending p : batch) {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(p.deadlineNanos - now);
            // At least 1: 0 would mean "no deadline" to the node.
            frame.addOps(p.op.setTimeoutMs((int) Math.max(1, Math.min(Integer.MAX_VALUE, leftMs))));
        }
        String t = token.get();
        if (t != null && !t.equals(s.token)) {
            frame.setToken(t); // renewed since the stream opened (with the header) or last sent one
            s.token = t;
        }
        s.requests.onNext(frame.build());
    }

    /** A new stream, or null if the channel is shut down. Holds lock. */
    private Stream open() {
        Stream s = new Stream();
        try {
            // Not ready while any bytes of an earlier frame wait for the socket: operations arriving meanwhile queue
            // up and leave as one frame when the transport calls the ready handler. On an idle connection the
            // first operation leaves at once.
            ClientCalls.asyncBidiStreamingCall(channel.newCall(PartitaGrpc.getMultiplexMethod(),
                CallOptions.DEFAULT.withOnReadyThreshold(FLUSHED)), s);
        } catch (RuntimeException e) {
            LOG.debug("Cannot open a Multiplex stream: {}", e.toString());
            return null;
        }
        return s;
    }

    /** Fails every queued operation as never sent. Holds lock. */
    private void failQueued(Throwable t) {
        List<Pending> all = new ArrayList<>(queue);
        queue.clear();
        // Callbacks run on the scheduler: not under our lock, and not on the caller's stack (which may retry).
        for (Pending p : all) {
            if (p.done.compareAndSet(false, true)) {
                p.timer.cancel(false);
                try {
                    scheduler.execute(() -> p.callback.onNotSent(t));
                } catch (RejectedExecutionException closed) {
                    p.callback.onNotSent(t);
                }
            }
        }
    }

    /** Stream {@code s} failed: every operation in flight on it fails with {@code t}; queued ones go on a new one. */
    private void failed(Stream s, Throwable t) {
        boolean current;
        synchronized (lock) {
            if (s.failed) {
                return;
            }
            s.failed = true;
            current = stream == s;
            if (current) {
                stream = null;
            }
        }
        // A frame larger than the node accepts fails the stream with RESOURCE_EXHAUSTED, which for a unary call means
        // "refused unread"; the other operations on the stream may have been applied, so it must not read as that.
        Throwable cause = io.grpc.Status.fromThrowable(t).getCode() == Status.Code.RESOURCE_EXHAUSTED
            ? Status.INTERNAL.withDescription("the Multiplex stream failed: " + Cluster.describe(t)).withCause(t)
                .asRuntimeException()
            : t;
        for (Pending p : s.inFlight.values()) {
            s.inFlight.remove(p.id);
            if (p.done.compareAndSet(false, true)) {
                p.timer.cancel(false);
                p.callback.onFailure(cause);
            }
        }
        try {
            s.requests.onError(Status.CANCELLED.withDescription("stream failed").asRuntimeException());
        } catch (RuntimeException ignored) {
            // already closed
        }
        if (current && !s.wrote) {
            // The stream never carried a frame (e.g. no connection could be made): what waits for it was never sent,
            // and a new stream would most likely fail alike; the callers retry per their policy.
            synchronized (lock) {
                if (stream == null) {
                    failQueued(t);
                    return;
                }
            }
        }
        flush(); // queued operations were never sent: they go on a new stream
    }

    /** One queued or in-flight operation. */
    private final class Pending {
        final long id;
        final Op.Builder op;
        final long deadlineNanos;
        final Callback callback;
        final int size; // serialized, with room for the timeout
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> timer;
        volatile Stream sentOn;

        Pending(long id, Op.Builder op, long deadlineNanos, Callback callback) {
            this.id = id;
            this.op = op.setId(id);
            this.size = this.op.build().getSerializedSize() + 8;
            this.deadlineNanos = deadlineNanos;
            this.callback = callback;
        }

        void expire() {
            if (done.compareAndSet(false, true)) {
                Stream s = sentOn;
                if (s != null) {
                    s.inFlight.remove(id);
                }
                callback.onFailure(Status.DEADLINE_EXCEEDED.withDescription("no answer on the Multiplex stream "
                    + "within the attempt's deadline").asRuntimeException());
            }
        }
    }

    /** One Multiplex call and the operations in flight on it. */
    private final class Stream implements ClientResponseObserver<OpFrame, ReplyFrame> {
        final Map<Long, Pending> inFlight = new ConcurrentHashMap<>();
        ClientCallStreamObserver<OpFrame> requests;
        boolean failed; // guarded by Multiplexer.lock
        boolean wrote; // guarded by Multiplexer.lock: a frame was taken for this stream
        String token = Multiplexer.this.token.get(); // what the stream's header carries

        @Override
        public void beforeStart(ClientCallStreamObserver<OpFrame> requestStream) {
            this.requests = requestStream;
            requestStream.setOnReadyHandler(Multiplexer.this::flush);
        }

        @Override
        public void onNext(ReplyFrame frame) {
            for (Reply r : frame.getRepliesList()) {
                Pending p = inFlight.remove(r.getId());
                if (p != null && p.done.compareAndSet(false, true)) {
                    p.timer.cancel(false);
                    p.callback.onReply(r);
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            failed(this, t);
        }

        @Override
        public void onCompleted() {
            failed(this, Status.UNAVAILABLE.withDescription("the node ended the Multiplex stream").asRuntimeException());
        }
    }
}
