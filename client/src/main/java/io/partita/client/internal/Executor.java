package io.partita.client.internal;

import com.google.protobuf.MessageLite;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.partita.client.PartitaException;
import io.partita.client.Policy;
import io.partita.client.ReadMode;
import io.partita.client.WritePolicy;
import io.partita.protocol.ResultCode;
import io.partita.protocol.auth.SessionHeader;
import io.partita.protocol.v1.Op;
import io.partita.protocol.v1.Reply;
import io.partita.protocol.v1.Status;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls: routes each attempt to the partition's leader (or, for replica reads, to its replicas in turn), maps
 * in-band statuses and transport failures to results or {@link PartitaException}s, and retries within the policy's
 * budget. Nothing here blocks: attempts are started from gRPC callbacks or scheduler tasks.
 *
 * <p>An attempt travels on the connection's {@link Multiplexer} (many operations per network message) when the
 * executor multiplexes and the operation supports it, else as a unary call; both report to the same
 * {@code onResponse} / {@code onTransportError}, so results, retries and in-doubt reporting do not depend on the path.
 */
public final class Executor {

    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

    private final Cluster cluster;
    private final ScheduledExecutorService scheduler;
    private final Set<Call<?, ?, ?>> pending = ConcurrentHashMap.newKeySet();
    private final AtomicInteger replicaTurns = new AtomicInteger();
    private final boolean multiplex;
    private final Session session;
    /** One Multiplex stream per channel (connection), created on first use. */
    private final Map<ManagedChannel, Multiplexer> multiplexers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * An executor that sends every attempt as its own unary call.
     *
     * @param cluster   routing and channels
     * @param scheduler timers and retries
     */
    public Executor(Cluster cluster, ScheduledExecutorService scheduler) {
        this(cluster, scheduler, false);
    }

    /**
     * An executor.
     *
     * @param cluster   routing and channels
     * @param scheduler timers and retries
     * @param multiplex whether operations that support it travel on each connection's Multiplex stream (many per
     *                  network message) rather than as unary calls
     */
    public Executor(Cluster cluster, ScheduledExecutorService scheduler, boolean multiplex) {
        this(cluster, scheduler, multiplex, null);
    }

    /**
     * As the other constructor, for a user's session (null without users): a refused token makes it log in again.
     */
    public Executor(Cluster cluster, ScheduledExecutorService scheduler, boolean multiplex, Session session) {
        this.cluster = cluster;
        this.scheduler = scheduler;
        this.multiplex = multiplex;
        this.session = session;
    }

    /**
     * Starts a call. The future completes with the operation's result or a {@link PartitaException}, at the
     * latest when the policy's budget runs out.
     *
     * @param op          the operation
     * @param policy      budget and retries
     * @param partitionId the key's partition
     * @param request     the request, sent unchanged on every attempt
     * @param what        the key, for messages
     * @throws IllegalStateException if the executor is closed
     */
    public <Req, Resp, R> CompletableFuture<R> execute(RequestKind<Req, Resp, R> op, Policy policy, int partitionId,
                                                      Req request, Object what) {
        if (closed) {
            throw new IllegalStateException("client is closed");
        }
        Call<Req, Resp, R> call = new Call<>(op, policy, partitionId, request, String.valueOf(what));
        pending.add(call);
        call.result.whenComplete((r, e) -> pending.remove(call));
        call.start();
        return call.result;
    }

    /**
     * Runs {@code submit}, which starts calls with {@link #execute} on this thread, so that their first attempts leave
     * together: on the Multiplex streams, one message per connection (as far as the frame size allows) rather than
     * the first alone and the rest after it. Retries are not held. Without multiplexing, the calls simply start.
     */
    public void together(Runnable submit) {
        if (multiplex) {
            Multiplexer.holdingFrames(submit);
        } else {
            submit.run();
        }
    }

    /** Fails every pending call; later {@link #execute} calls throw. */
    public void close() {
        closed = true;
        for (Call<?, ?, ?> c : new ArrayList<>(pending)) {
            boolean doubt = c.mayHaveApplied();
            c.fail(doubt ? ResultCode.IN_DOUBT : ResultCode.SERVER_ERROR, c.describe()
                + " was interrupted because the client was closed" + (doubt
                ? "; the write may or may not have been applied: read the record to find out." : "."), doubt, null);
        }
    }

    private final class Call<Req, Resp, R> {
        final RequestKind<Req, Resp, R> op;
        final Policy policy;
        final int partitionId;
        final Req request;
        final String what;
        final CompletableFuture<R> result = new CompletableFuture<>();
        final long deadlineNanos;
        final List<String> history = new ArrayList<>(); // guarded by this
        /**
         * Whether the call is a compare-and-set write (an expected generation) or a write whose operation is
         * re-sendable: safe to re-send when ambiguous.
         */
        final boolean compareAndSet;
        volatile boolean writeInFlight;
        /** The first ambiguous outcome of an attempt (the write may have been applied), or null. */
        volatile String ambiguity;
        int retries; // only touched by the one thread driving the call at a time
        volatile int attempts; // also read by the budget timer
        final CallRouter router;
        ScheduledFuture<?> budgetTimer;

        Call(RequestKind<Req, Resp, R> op, Policy policy, int partitionId, Req request, String what) {
            this.op = op;
            this.policy = policy;
            this.partitionId = partitionId;
            this.request = request;
            this.what = what;
            this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(policy.timeoutMs());
            this.compareAndSet = op.write && (op.resendable || policy instanceof WritePolicy
                && ((WritePolicy) policy).expectedGeneration() != 0);
            boolean anyReplica = op.replicaReadable && policy.readMode() == ReadMode.ANY_REPLICA;
            this.router = new CallRouter(partitionId, anyReplica, anyReplica ? replicaTurns.getAndIncrement() : 0);
        }

        String describe() {
            return op.name + " " + what;
        }

        void start() {
            try {
                budgetTimer = scheduler.schedule(this::onBudgetExpired, policy.timeoutMs(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                throw new IllegalStateException("client is closed", e);
            }
            result.whenComplete((r, e) -> budgetTimer.cancel(false));
            attempt();
        }

        synchronized void note(String problem) {
            history.add(problem);
        }

        synchronized String lastProblems() {
            int from = Math.max(0, history.size() - 3);
            return String.join("; ", history.subList(from, history.size()));
        }

        /** Whether the call is a write that may have been applied: one is in flight or an attempt was ambiguous. */
        boolean mayHaveApplied() {
            return op.write && (writeInFlight || ambiguity != null);
        }

        /** "The write was not applied. " when that is certain, else "". */
        String notApplied() {
            return op.write && ambiguity == null ? "The write was not applied. " : "";
        }

        /** Fails the call; after an ambiguous attempt every failure is in doubt and says why. */
        void fail(ResultCode code, String message, boolean inDoubt, Throwable cause) {
            String firstAmbiguity = ambiguity;
            if (firstAmbiguity != null && !inDoubt) {
                inDoubt = true;
                message += " An earlier attempt had an ambiguous outcome (" + firstAmbiguity + ") and may have been "
                    + "the one that applied" + (code == ResultCode.GENERATION_ERROR || code == ResultCode.KEY_NOT_FOUND
                    ? ", which would explain this answer" : "") + ". Read the record to find out.";
            }
            result.completeExceptionally(new PartitaException(code, message, inDoubt, cause));
        }

        /** Records that an attempt's write may or may not have been applied (the first such attempt is kept). */
        void markAmbiguous(String problem) {
            if (ambiguity == null) {
                ambiguity = problem;
            }
        }

        /**
         * After an ambiguous attempt: re-sends a compare-and-set write, which cannot apply twice (after one apply
         * the generation no longer matches), if retries are left.
         *
         * @return whether a retry was scheduled
         */
        boolean resendCompareAndSet(String problem) {
            note(problem);
            if (!compareAndSet || retries >= policy.maxRetries()) {
                return false;
            }
            retries++;
            LOG.debug("{}: {}; compare-and-set write, retry {}/{}", describe(), problem, retries, policy.maxRetries());
            retryLater();
            return true;
        }

        void attempt() {
            if (result.isDone()) {
                return;
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                onBudgetExpired();
                return;
            }
            RoutingTable table = cluster.table();
            RoutingTable.Target target = router.next(table);
            if (target == null) {
                // Nothing is sent while the group has no known leader: wait for the map to show one, bounded by
                // the time budget only (the budget timer ends the call).
                note("group " + table.groupOf(partitionId) + " of partition " + partitionId
                    + " had no known leader in cluster map version " + table.version());
                retryLater();
                return;
            }
            ManagedChannel channel;
            try {
                channel = cluster.channel(target.address());
            } catch (IllegalStateException closedNow) {
                fail(ResultCode.SERVER_ERROR, describe() + " failed: the client is closed.", false, closedNow);
                return;
            }
            attempts++;
            RoutingTable.Target sentTo = target;
            if (op.write) {
                writeInFlight = true;
            }
            long attemptNanos = attemptNanos(remaining);
            boolean capped = attemptNanos < remaining;
            if (multiplex && op.toOp != null && serializedSize(request) <= Multiplexer.MAX_OP_BYTES) {
                Op.Builder message = Op.newBuilder();
                op.toOp.accept(message, request);
                try {
                    multiplexers.computeIfAbsent(channel, ch -> new Multiplexer(ch, scheduler,
                        session == null ? () -> null : session::token)).send(message,
                        System.nanoTime() + attemptNanos, new Multiplexer.Callback() {
                            @Override
                            public void onReply(Reply reply) {
                                Resp response = op.fromReply.apply(reply);
                                if (response == null) {
                                    onTransportError(sentTo, io.grpc.Status.INTERNAL.withDescription("node " + sentTo
                                        + " answered a " + op.name + " with a reply of another kind ("
                                        + reply.getResponseCase() + ")").asRuntimeException(), false);
                                } else {
                                    onResponse(sentTo, response);
                                }
                            }

                            @Override
                            public void onFailure(Throwable t) {
                                onTransportError(sentTo, t, capped);
                            }

                            @Override
                            public void onNotSent(Throwable t) {
                                Call.this.onNotSent(sentTo, t);
                            }
                        });
                } catch (RuntimeException e) {
                    onTransportError(sentTo, e, false);
                }
                return;
            }
            try {
                ClientCalls.asyncUnaryCall(
                    channel.newCall(op.method, CallOptions.DEFAULT.withDeadlineAfter(attemptNanos,
                        TimeUnit.NANOSECONDS)),
                    request,
                    new StreamObserver<>() {
                        private Resp response;

                        @Override
                        public void onNext(Resp value) {
                            response = value;
                        }

                        @Override
                        public void onError(Throwable t) {
                            onTransportError(sentTo, t, capped);
                        }

                        @Override
                        public void onCompleted() {
                            onResponse(sentTo, response);
                        }
                    });
            } catch (RuntimeException e) {
                onTransportError(sentTo, e, false);
            }
        }

        /**
         * The deadline of the next request: the remaining budget, or less for a call that may be re-sent after a
         * node did not answer (a read, a compare-and-set write).
         */
        long attemptNanos(long remainingNanos) {
            long cap = TimeUnit.MILLISECONDS.toNanos(policy.attemptTimeoutMs());
            boolean resendable = !op.write || compareAndSet;
            return resendable && cap > 0 ? Math.min(cap, remainingNanos) : remainingNanos;
        }

        void onResponse(RoutingTable.Target node, Resp response) {
            if (result.isDone()) {
                writeInFlight = false;
                return;
            }
            Status status = op.status.apply(response);
            ResultCode code = ResultCode.fromCode(status.getCode());
            String server = status.getMessage().isEmpty() ? "" : ": " + status.getMessage();
            if (code == ResultCode.IN_DOUBT && op.write) {
                markAmbiguous("node " + node + " answered IN_DOUBT" + server); // before the write leaves flight
            }
            writeInFlight = false;
            cluster.noteMapVersion(status.getMapVersion());
            switch (code) {
                case OK:
                    try {
                        result.complete(op.onOk.apply(response));
                    } catch (RuntimeException e) {
                        fail(ResultCode.SERVER_ERROR, describe() + ": node " + node + " sent an answer the client "
                            + "cannot read (" + e.getMessage() + "); check that client and server versions match.",
                            false, e);
                    }
                    return;
                case KEY_NOT_FOUND:
                    if (op.notFoundIsResult && ambiguity == null) {
                        result.complete(op.notFoundResult);
                        return;
                    }
                    break;
                case NOT_LEADER:
                    note("node " + node + " answered NOT_LEADER" + server);
                    if (retries >= policy.maxRetries()) {
                        fail(ResultCode.NOT_LEADER, describe() + " gave up after " + attempts + " attempt(s): "
                            + lastProblems() + ". Leadership of the key's group is moving. " + notApplied()
                            + "Retry later or raise maxRetries/timeoutMs.", false, null);
                        return;
                    }
                    retries++;
                    String hint = status.getLeaderNodeId();
                    if (!hint.isEmpty() && !hint.equals(node.nodeId())) {
                        router.hint(hint);
                        cluster.noteLeader(cluster.table().groupOf(partitionId), hint);
                    }
                    LOG.debug("{}: NOT_LEADER from {} (hint '{}'), retry {}/{}", describe(), node, hint, retries,
                        policy.maxRetries());
                    retryLater();
                    return;
                case IN_DOUBT:
                    if (!op.write) {
                        break;
                    }
                    onAmbiguousWrite("node " + node + " answered IN_DOUBT" + server, null);
                    return;
                default:
                    break;
            }
            String codeText = code == ResultCode.SERVER_ERROR && status.getCode() != ResultCode.SERVER_ERROR.code()
                ? code + " (unknown code " + status.getCode() + ")" : code.toString();
            fail(code, describe() + " failed with " + codeText + " from node " + node + server, false, null);
        }

        /**
         * A request failed in transport.
         *
         * @param capped whether its deadline was the attempt timeout, shorter than the remaining budget
         */
        void onTransportError(RoutingTable.Target node, Throwable t, boolean capped) {
            boolean wasInFlight = writeInFlight;
            if (result.isDone()) {
                return;
            }
            io.grpc.Status s = io.grpc.Status.fromThrowable(t);
            String detail = Cluster.describe(t);
            if (s.getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED && capped) {
                onAttemptTimeout(node);
                return;
            }
            if (s.getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
                boolean doubt = op.write && wasInFlight;
                fail(ResultCode.TIMEOUT, describe() + " timed out after " + policy.timeoutMs() + " ms waiting for node "
                    + node + " (" + attempts + " attempt(s)). " + (doubt
                    ? "The write may or may not have been applied: read the record before retrying."
                    : "Retry, or raise timeoutMs."), doubt, t);
                return;
            }
            boolean notSent = s.getCode() == io.grpc.Status.Code.UNAVAILABLE && neverConnected(t);
            if (s.getCode() == io.grpc.Status.Code.UNAVAILABLE && (!op.write || notSent)) {
                onNotSent(node, t);
                return;
            }
            if (s.getCode() == io.grpc.Status.Code.UNAUTHENTICATED
                    || s.getCode() == io.grpc.Status.Code.PERMISSION_DENIED) {
                // Refused for who called, before the node read the request: nothing was applied.
                if (session != null && s.getCode() == io.grpc.Status.Code.UNAUTHENTICATED) {
                    session.renewSoon();
                }
                fail(refusalCode(t, s), describe() + " was refused by node " + node + ": " + s.getDescription()
                    + ". " + notApplied(), false, t);
                return;
            }
            if (s.getCode() == io.grpc.Status.Code.RESOURCE_EXHAUSTED && s.getDescription() != null
                    && s.getDescription().contains("raise limits.")) {
                // Over one of the node's limits (connections, calls, streams): refused before it ran.
                fail(ResultCode.SERVER_ERROR, describe() + " was refused by node " + node + ": " + s.getDescription()
                    + ". " + notApplied(), false, t);
                return;
            }
            if (s.getCode() == io.grpc.Status.Code.RESOURCE_EXHAUSTED) {
                // The node refuses requests over its size limit before reading them: nothing was applied.
                fail(ResultCode.RECORD_TOO_BIG, describe() + " was refused by node " + node + " because the request"
                    + " is larger than the node accepts (" + detail + "). " + notApplied(), false, t);
                return;
            }
            if (op.write) {
                onAmbiguousWrite("lost contact with node " + node + " after sending the write (" + detail + ")", t);
            } else {
                fail(ResultCode.SERVER_ERROR, describe() + " failed at node " + node + ": " + detail, false, t);
            }
        }

        private ResultCode refusalCode(Throwable t, io.grpc.Status s) {
            io.grpc.Metadata trailers = io.grpc.Status.trailersFromThrowable(t);
            String code = trailers == null ? null : trailers.get(SessionHeader.RESULT_CODE);
            if (code != null && code.matches("\\d{1,4}")) {
                return ResultCode.fromCode(Integer.parseInt(code));
            }
            return s.getCode() == io.grpc.Status.Code.UNAUTHENTICATED ? ResultCode.NOT_AUTHENTICATED
                : ResultCode.ROLE_VIOLATION;
        }

        /** The request never left this client (e.g. no connection could be made): nothing was applied. */
        void onNotSent(RoutingTable.Target node, Throwable t) {
            if (result.isDone()) {
                return;
            }
            writeInFlight = false;
            if (retry("node " + node + " unreachable: " + Cluster.describe(t))) {
                return;
            }
            fail(ResultCode.SERVER_ERROR, describe() + " failed after " + attempts + " attempt(s): "
                + lastProblems() + ". " + notApplied()
                + "Check that the cluster's nodes are running and reachable from this host.", false, t);
        }

        /**
         * A node did not answer a re-sendable request within the attempt timeout (paused, overloaded, or cut off):
         * send it again per a refreshed map, where a new leader shows up once the group has elected one.
         */
        void onAttemptTimeout(RoutingTable.Target node) {
            String problem = "node " + node + " did not answer within " + policy.attemptTimeoutMs() + " ms";
            if (op.write) {
                writeInFlight = false;
                onAmbiguousWrite(problem, null);
            } else if (!retry(problem)) {
                fail(ResultCode.TIMEOUT, describe() + " gave up after " + attempts + " attempt(s): " + lastProblems()
                    + ". Retry later or raise maxRetries/attemptTimeoutMs.", false, null);
            }
        }

        /**
         * Notes a problem that left nothing applied and retries the call, if retries are left.
         *
         * @return whether a retry was scheduled (else the caller fails the call)
         */
        boolean retry(String problem) {
            note(problem);
            if (retries >= policy.maxRetries()) {
                return false;
            }
            retries++;
            LOG.debug("{}: {}, retry {}/{}", describe(), problem, retries, policy.maxRetries());
            retryLater();
            return true;
        }

        /**
         * A write's outcome is unknown (it may have been applied): a compare-and-set write with retries left is
         * re-sent; any other fails in doubt.
         */
        void onAmbiguousWrite(String problem, Throwable cause) {
            markAmbiguous(problem);
            if (!resendCompareAndSet(problem)) {
                fail(ResultCode.IN_DOUBT, describe() + " is in doubt: " + problem + (compareAndSet ? " (its "
                    + policy.maxRetries() + " re-sends are used up)" : "") + ". It may or may not have been applied: "
                    + "read the record to find out before retrying.", true, cause);
            }
        }

        /** Refreshes the map, waits at least sleepBetweenRetriesMs and the refresh, then tries again. */
        void retryLater() {
            CompletableFuture<Void> refreshed = cluster.requestRefresh();
            CompletableFuture<Void> slept = new CompletableFuture<>();
            try {
                scheduler.schedule(() -> slept.complete(null), backoffMs(policy.sleepBetweenRetriesMs(), retries),
                    TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                fail(ResultCode.SERVER_ERROR, describe() + " failed: the client is closed.", false, e);
                return;
            }
            CompletableFuture.allOf(refreshed, slept).whenComplete((v, e) -> {
                try {
                    scheduler.execute(this::attempt);
                } catch (RejectedExecutionException closedNow) {
                    fail(ResultCode.SERVER_ERROR, describe() + " failed: the client is closed.", false, closedNow);
                }
            });
        }

        void onBudgetExpired() {
            if (result.isDone()) {
                return;
            }
            boolean doubt = op.write && writeInFlight;
            String problems = lastProblems();
            fail(ResultCode.TIMEOUT, describe() + " did not complete within " + policy.timeoutMs() + " ms ("
                + attempts + " attempt(s)" + (problems.isEmpty() ? "" : "; " + problems) + "). "
                + (doubt ? "The write may or may not have been applied: read the record before retrying."
                : notApplied() + "Retry later or raise timeoutMs."), doubt, null);
        }
    }

    private static int serializedSize(Object request) {
        return request instanceof MessageLite m ? m.getSerializedSize() : Integer.MAX_VALUE;
    }

    /** The pause before retry number {@code retry} (1-based): doubling from {@code baseMs}, capped at 50 x. */
    static long backoffMs(long baseMs, int retry) {
        int doublings = Math.min(Math.max(retry - 1, 0), 6);
        return Math.min(baseMs << doublings, baseMs * 50);
    }

    /** Whether a transport failure happened before any connection carried the request. */
    static boolean neverConnected(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException
                || c instanceof UnresolvedAddressException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
