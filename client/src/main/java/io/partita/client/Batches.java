package io.partita.client;

import io.partita.client.internal.Executor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How a batch call runs: one call per key, started together so that each node gets its keys in one message
 * ({@link Executor#together}), each with its own routing, retries, deadline and in-doubt reporting; so a node that
 * fails mid-batch fails or retries only its own keys. The answers are put back in the caller's order.
 */
final class Batches {
    /** Most keys one batch call may carry. */
    static final int MAX_KEYS = 5000;

    private Batches() {
    }

    /** @throws IllegalArgumentException for a null or empty key array, a null key, or more than MAX_KEYS keys */
    static void check(Key[] keys) {
        if (keys == null || keys.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one key");
        }
        if (keys.length > MAX_KEYS) {
            throw new IllegalArgumentException("a batch carries at most " + MAX_KEYS + " keys, got " + keys.length
                    + "; split it into several calls");
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                throw new IllegalArgumentException("key " + i + " of the batch is null");
            }
        }
    }

    /**
     * @param start  starts the call for one key (on this thread)
     * @param answer the key's record from its call's result
     */
    static <R> CompletableFuture<BatchResults> run(Executor executor, Key[] keys,
                                                   Function<Key, CompletableFuture<R>> start,
                                                   BiFunction<Key, R, BatchRecord> answer) {
        check(keys);
        List<CompletableFuture<BatchRecord>> calls = new ArrayList<>(keys.length);
        executor.together(() -> {
            for (Key key : keys) {
                calls.add(start.apply(key).handle((r, e) -> e == null ? answer.apply(key, r) : failed(key, e)));
            }
        });
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(v -> new BatchResults(calls.stream().map(CompletableFuture::join).toList()));
    }

    private static BatchRecord failed(Key key, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof PartitaException p) {
            return BatchRecord.failed(key, p);
        }
        throw new CompletionException(cause); // a bug, not a key's outcome
    }

    /** The results of a batch read, or a {@link BatchException} if a key failed. */
    static BatchResults answered(BatchResults results) {
        List<BatchRecord> failures = results.failures();
        if (failures.isEmpty()) {
            return results;
        }
        throw new BatchException(failures.get(0), results, failures.size());
    }
}
