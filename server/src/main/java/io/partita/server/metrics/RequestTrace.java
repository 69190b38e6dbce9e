package io.partita.server.metrics;

import io.grpc.stub.StreamObserver;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.Status;
import io.partita.raft.group.GroupWriter;
import java.util.function.Function;

/**
 * The timeline of one client request: when it arrived, was handed to Raft (or to the group's writer), when its log
 * entry left, when Raft answered, and when the response was sent. Finishing it records the operation's latency and
 * result code, and logs the request if it was slow.
 *
 * <p>Marks are written by the request, batcher and Raft threads in that order, each before handing over to the
 * next (a queue, a future), so plain fields are safely published to the thread that finishes.
 */
public final class RequestTrace implements GroupWriter.WriteStages {
    private final OpType op;
    private final String namespace;
    private final OpMeters meters;
    private final SlowRequestLog slowLog;
    private final long start = System.nanoTime();
    private byte[] digest;
    private long submitted;
    private long sent;
    private long replied;

    RequestTrace(OpType op, String namespace, OpMeters meters, SlowRequestLog slowLog) {
        this.op = op;
        this.namespace = namespace;
        this.meters = meters;
        this.slowLog = slowLog;
    }

    /** Wraps the response stream: the first response finishes the trace with its status code. */
    public <R> StreamObserver<R> observe(StreamObserver<R> out, Function<R, Status> status) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R response) {
                out.onNext(response);
                finish(ResultCode.fromCode(status.apply(response).getCode()));
            }

            @Override
            public void onError(Throwable t) {
                out.onError(t);
                finish(ResultCode.SERVER_ERROR);
            }

            @Override
            public void onCompleted() {
                out.onCompleted();
            }
        };
    }

    /** The key's digest, for the slow-request log. */
    public void digest(byte[] keyDigest) {
        this.digest = keyDigest;
    }

    /** The request was validated and handed to its group (writer queue or Raft read). */
    public void submitted() {
        submitted = System.nanoTime();
    }

    @Override
    public void sent(long nanos) {
        sent = nanos;
    }

    @Override
    public void replied(long nanos) {
        replied = nanos;
    }

    private void finish(ResultCode code) {
        long end = System.nanoTime();
        meters.record(code, end - start);
        if (slowLog.isSlow(end - start)) {
            slowLog.log(this, code, end);
        }
    }

    OpType op() {
        return op;
    }

    String namespace() {
        return namespace;
    }

    byte[] keyDigest() {
        return digest;
    }

    long start() {
        return start;
    }

    long submittedAt() {
        return submitted;
    }

    long sentAt() {
        return sent;
    }

    long repliedAt() {
        return replied;
    }
}
