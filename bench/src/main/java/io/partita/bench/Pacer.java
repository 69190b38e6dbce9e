package io.partita.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * When a worker starts its next operation. Without a target rate the loop is closed: the next operation starts when
 * the previous one has answered, and its latency is measured from then. With a target rate each worker follows a
 * fixed schedule ({@code threads / rate} seconds apart) and the latency is measured from the operation's
 * <em>intended</em> start: when the store stalls, the operations that should have been sent meanwhile are charged
 * the time they waited, instead of being silently omitted (coordinated omission; this is what HdrHistogram's
 * expected-interval recording approximates after the fact). Not thread-safe: one per worker.
 */
final class Pacer {

    private final long intervalNanos;
    private long nextStart;

    private Pacer(long intervalNanos, long firstStart) {
        this.intervalNanos = intervalNanos;
        this.nextStart = firstStart;
    }

    /** A closed loop: no waiting, latency from the actual start. */
    static Pacer closedLoop() {
        return new Pacer(0, 0);
    }

    /**
     * A worker's share of {@code ratePerSecond} over {@code threads} workers, from {@code startNanos}. The workers'
     * schedules are staggered by {@code index} so that they do not all fire at once.
     */
    static Pacer atRate(double ratePerSecond, int threads, int index, long startNanos) {
        long interval = Math.max(1, Math.round(threads * 1e9 / ratePerSecond));
        return new Pacer(interval, startNanos + interval * index / threads);
    }

    /**
     * Waits until the next operation is due and returns the {@link System#nanoTime()} its latency is measured from:
     * its intended start when paced (possibly in the past, if the worker is behind), else now.
     */
    long awaitNext() {
        if (intervalNanos == 0) {
            return System.nanoTime();
        }
        long intended = nextStart;
        nextStart += intervalNanos;
        for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
        return intended;
    }
}
