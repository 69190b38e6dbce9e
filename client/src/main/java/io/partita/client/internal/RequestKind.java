package io.partita.client.internal;

import io.grpc.MethodDescriptor;
import io.partita.protocol.v1.Op;
import io.partita.protocol.v1.Reply;
import io.partita.protocol.v1.Status;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What the executor needs to know about one kind of request.
 *
 * @param <Req>  request message
 * @param <Resp> response message
 * @param <R>    result handed to the caller
 */
public final class RequestKind<Req, Resp, R> {

    final String name;
    final boolean write;
    final MethodDescriptor<Req, Resp> method;
    final Function<Resp, Status> status;
    final Function<Resp, R> onOk;
    final boolean notFoundIsResult;
    final R notFoundResult;
    final boolean replicaReadable;
    final boolean resendable;
    /** Puts the request into a Multiplex operation, or null: the operation is only sent as a unary call. */
    final BiConsumer<Op.Builder, Req> toOp;
    /** The response in a Multiplex reply, or null when the reply carries another kind. */
    final Function<Reply, Resp> fromReply;

    private RequestKind(String name, boolean write, MethodDescriptor<Req, Resp> method, Function<Resp, Status> status,
                      Function<Resp, R> onOk, boolean notFoundIsResult, R notFoundResult, boolean replicaReadable,
                      boolean resendable) {
        this(name, write, method, status, onOk, notFoundIsResult, notFoundResult, replicaReadable, resendable, null,
            null);
    }

    private RequestKind(String name, boolean write, MethodDescriptor<Req, Resp> method, Function<Resp, Status> status,
                      Function<Resp, R> onOk, boolean notFoundIsResult, R notFoundResult, boolean replicaReadable,
                      boolean resendable, BiConsumer<Op.Builder, Req> toOp, Function<Reply, Resp> fromReply) {
        this.toOp = toOp;
        this.fromReply = fromReply;
        this.name = name;
        this.write = write;
        this.method = method;
        this.status = status;
        this.onOk = onOk;
        this.notFoundIsResult = notFoundIsResult;
        this.notFoundResult = notFoundResult;
        this.replicaReadable = replicaReadable;
        this.resendable = resendable;
    }

    /**
     * An operation for which KEY_NOT_FOUND is an error.
     *
     * @param name   for messages, e.g. "put"
     * @param write  whether it changes data (writes are never re-sent after a transport failure)
     * @param method the gRPC method
     * @param status the in-band status of a response
     * @param onOk   the caller's result from an OK response
     */
    public static <Req, Resp, R> RequestKind<Req, Resp, R> of(String name, boolean write,
                                                            MethodDescriptor<Req, Resp> method,
                                                            Function<Resp, Status> status, Function<Resp, R> onOk) {
        return new RequestKind<>(name, write, method, status, onOk, false, null, false, false);
    }

    /** The same operation, answering {@code result} when the node says KEY_NOT_FOUND. */
    public RequestKind<Req, Resp, R> withNotFoundResult(R result) {
        return new RequestKind<>(name, write, method, status, onOk, true, result, replicaReadable, resendable, toOp,
            fromReply);
    }

    /**
     * The same operation, sent to any replica of the key's group when the policy's read mode is
     * {@link io.partita.client.ReadMode#ANY_REPLICA} (the caller sets the request's allow-replica-read flag).
     */
    public RequestKind<Req, Resp, R> withReplicaReads() {
        return new RequestKind<>(name, write, method, status, onOk, notFoundIsResult, notFoundResult, true, resendable,
            toOp, fromReply);
    }

    /**
     * The same write, re-sent after an ambiguous outcome (IN_DOUBT, contact lost after sending) like a
     * compare-and-set write: for writes whose second apply leaves the same state as the first.
     */
    public RequestKind<Req, Resp, R> withResendAfterAmbiguity() {
        return new RequestKind<>(name, write, method, status, onOk, notFoundIsResult, notFoundResult, replicaReadable,
                true, toOp, fromReply);
    }

    /**
     * The same operation, also sendable on a node's Multiplex stream (many operations per network message).
     *
     * @param toOp      sets the request in an {@link Op}
     * @param fromReply the response in a {@link Reply}, null if the reply carries another kind
     */
    public RequestKind<Req, Resp, R> withMultiplex(BiConsumer<Op.Builder, Req> toOp, Function<Reply, Resp> fromReply) {
        return new RequestKind<>(name, write, method, status, onOk, notFoundIsResult, notFoundResult, replicaReadable,
                resendable, toOp, fromReply);
    }

    /** The operation's name. */
    public String name() {
        return name;
    }

    /** Whether the operation writes. */
    public boolean isWrite() {
        return write;
    }
}
