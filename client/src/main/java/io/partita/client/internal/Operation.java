package io.partita.client.internal;

import io.grpc.MethodDescriptor;
import io.partita.protocol.v1.Status;
import java.util.function.Function;

/**
 * What the executor needs to know about one kind of request.
 *
 * @param <Req>  request message
 * @param <Resp> response message
 * @param <R>    result handed to the caller
 */
public final class Operation<Req, Resp, R> {

    final String name;
    final boolean write;
    final MethodDescriptor<Req, Resp> method;
    final Function<Resp, Status> status;
    final Function<Resp, R> onOk;
    final boolean notFoundIsResult;
    final R notFoundResult;
    final boolean replicaReadable;
    final boolean resendable;

    private Operation(String name, boolean write, MethodDescriptor<Req, Resp> method, Function<Resp, Status> status,
                      Function<Resp, R> onOk, boolean notFoundIsResult, R notFoundResult, boolean replicaReadable,
                      boolean resendable) {
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
    public static <Req, Resp, R> Operation<Req, Resp, R> of(String name, boolean write,
                                                            MethodDescriptor<Req, Resp> method,
                                                            Function<Resp, Status> status, Function<Resp, R> onOk) {
        return new Operation<>(name, write, method, status, onOk, false, null, false, false);
    }

    /** The same operation, answering {@code result} when the node says KEY_NOT_FOUND. */
    public Operation<Req, Resp, R> withNotFoundResult(R result) {
        return new Operation<>(name, write, method, status, onOk, true, result, replicaReadable, resendable);
    }

    /**
     * The same operation, sent to any replica of the key's group when the policy's read mode is
     * {@link io.partita.client.ReadMode#ANY_REPLICA} (the caller sets the request's allow-replica-read flag).
     */
    public Operation<Req, Resp, R> withReplicaReads() {
        return new Operation<>(name, write, method, status, onOk, notFoundIsResult, notFoundResult, true, resendable);
    }

    /**
     * The same write, re-sent after an ambiguous outcome (IN_DOUBT, contact lost after sending) like a
     * compare-and-set write: for writes whose second apply leaves the same state as the first.
     */
    public Operation<Req, Resp, R> withResendAfterAmbiguity() {
        return new Operation<>(name, write, method, status, onOk, notFoundIsResult, notFoundResult, replicaReadable,
                true);
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
