package io.partita.server.stream;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.partita.engine.storage.GroupScan;

/**
 * Sends a {@link GroupScan} down a server-streaming call in messages, reading the scan only while gRPC reports the
 * call ready: a slow reader holds the scan (a RocksDB snapshot) open rather than making the node buffer the group in
 * memory. The scan is closed when the stream ends, fails or is cancelled. Subclasses say what the messages are.
 *
 * @param <T> the message type of the stream
 */
public abstract class ScanPump<T> {
    private final ServerCallStreamObserver<T> call;
    protected final GroupScan scan;
    private boolean finished;
    private volatile long messagesSent;

    protected ScanPump(ServerCallStreamObserver<T> call, GroupScan scan) {
        this.call = call;
        this.scan = scan;
    }

    /** Installs the ready and cancel handlers and sends what the call takes now; call from the gRPC handler. */
    protected final void start() {
        call.setOnCancelHandler(this::cancel);
        call.setOnReadyHandler(this::pump);
        pump();
    }

    /** The next message, or null when there is nothing to send right now (the scan may be over). */
    protected abstract T next();

    /** The message that ends a complete stream, sent once the scan has no more records. */
    protected abstract T last();

    /** The status to fail the call with when building a message failed (and to log why). */
    protected abstract Status failed(RuntimeException e);

    /** The status to fail the call with when the node closed its storage under the scan (it is shutting down). */
    protected abstract Status closedUnder();

    /** Told that the stream ended complete, after {@link #last()} was sent. */
    protected void completed() {
    }

    /** Told that the reader cancelled the stream before it was complete. */
    protected void cancelled() {
    }

    /** Messages sent so far, the last one included. */
    public long messagesSent() {
        return messagesSent;
    }

    private synchronized void pump() {
        try {
            while (!finished && call.isReady()) {
                T message = next();
                if (message != null) {
                    send(message);
                }
                if (!scan.hasNext()) {
                    finish();
                }
            }
        } catch (RuntimeException e) {
            abort(failed(e));
        }
    }

    private void finish() {
        if (scan.isClosed()) {
            // Closed under us: the stream is incomplete and must not end as if it were whole.
            abort(closedUnder());
            return;
        }
        send(last());
        finished = true;
        scan.close();
        call.onCompleted();
        completed();
    }

    private void send(T message) {
        call.onNext(message);
        messagesSent++;
    }

    private void abort(Status status) {
        if (finished) {
            return;
        }
        finished = true;
        scan.close();
        call.onError(status.asRuntimeException());
    }

    private synchronized void cancel() {
        if (!finished) {
            cancelled();
        }
        finished = true;
        scan.close();
    }
}
