package io.partita.server.lincheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Records a {@link History} from concurrent client threads. Thread-safe.
 *
 * <p>Call {@link #begin} immediately before sending a request; it stamps the call time. Complete the returned
 * {@link Call} exactly once, immediately when the answer (or the failure) arrives; that stamps the return time:
 *
 * <pre>{@code
 * HistoryRecorder.Call call = recorder.begin("k1", Input.put(value));
 * try {
 *     call.ok(client.put(key, Map.of("v", value)));       // the generation the put produced
 * } catch (PartitaException e) {
 *     if (definitelyNotApplied(e.resultCode())) {
 *         call.failed();
 *     } else {
 *         call.indeterminate();                           // timeout, in doubt, connection lost
 *     }
 * }
 * }</pre>
 *
 * <p>A call never completed (its thread died, or it is still in flight when {@link #history()} is taken) is recorded
 * as {@link Outcome#INDETERMINATE}, which is what it is.
 */
public final class HistoryRecorder {
    private final LongSupplier clock;
    private final AtomicInteger nextId = new AtomicInteger();
    private final Map<Integer, Call> calls = new ConcurrentHashMap<>();

    /** A recorder stamping times with {@link System#nanoTime()}. */
    public HistoryRecorder() {
        this(System::nanoTime);
    }

    HistoryRecorder(LongSupplier clock) {
        this.clock = clock;
    }

    /** Starts recording one op by the current thread, stamping its call time now. */
    public Call begin(String key, Input input) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(input, "input");
        Call call = new Call(nextId.getAndIncrement(), Thread.currentThread().getName(), key, input, clock.getAsLong());
        calls.put(call.id, call);
        return call;
    }

    /** The ops recorded so far; calls not yet completed are included as indeterminate. */
    public History history() {
        List<Op> ops = new ArrayList<>();
        for (Call call : calls.values()) {
            Op done = call.done;
            ops.add(done != null ? done
                    : new Op(call.id, call.client, call.key, call.input, Outcome.INDETERMINATE, null, call.callNanos,
                            Long.MAX_VALUE));
        }
        return History.of(ops);
    }

    /** One op in flight: complete it once with the answer or the outcome. */
    public final class Call {
        private final int id;
        private final String client;
        private final String key;
        private final Input input;
        private final long callNanos;
        private volatile Op done;

        private Call(int id, String client, String key, Input input, long callNanos) {
            this.id = id;
            this.client = client;
            this.key = key;
            this.input = input;
            this.callNanos = callNanos;
        }

        /** A PUT, CAS or DELETE succeeded; the resulting generation is unknown. */
        public void ok() {
            requireWrite("ok()");
            complete(Output.ok());
        }

        /** A PUT or CAS succeeded and produced {@code generation}. */
        public void ok(int generation) {
            requireWrite("ok(generation)");
            complete(Output.ok(generation));
        }

        /** A GET read {@code value} at {@code generation}. */
        public void found(long value, int generation) {
            if (input.kind() != Input.Kind.GET) {
                throw new IllegalArgumentException(input + " cannot find a value; use ok()");
            }
            complete(Output.found(value, generation));
        }

        /** A GET found nothing, or a CAS or DELETE failed with KEY_NOT_FOUND. */
        public void notFound() {
            complete(Output.notFound());
        }

        /** A CAS failed with GENERATION_ERROR. */
        public void generationError() {
            complete(Output.generationError());
        }

        /** The op was answered with {@code output}. */
        public void complete(Output output) {
            finish(Outcome.DEFINITE, Objects.requireNonNull(output, "output"));
        }

        /** The system said the op was definitely not applied: it is dropped from the history. */
        public void failed() {
            finish(Outcome.FAILED_NOT_APPLIED, null);
        }

        /** The op is in doubt (timeout, connection lost): it may take effect at any time after its call, or never. */
        public void indeterminate() {
            finish(Outcome.INDETERMINATE, null);
        }

        private void finish(Outcome outcome, Output output) {
            long returnNanos = clock.getAsLong();
            synchronized (this) {
                if (done != null) {
                    throw new IllegalStateException("op already completed: " + done);
                }
                done = new Op(id, client, key, input, outcome, output, callNanos, returnNanos);
            }
        }

        private void requireWrite(String method) {
            if (input.kind() == Input.Kind.GET) {
                throw new IllegalArgumentException("a GET completes with found(value, generation) or notFound(), not "
                        + method);
            }
        }
    }
}
