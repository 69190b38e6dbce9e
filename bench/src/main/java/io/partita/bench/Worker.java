package io.partita.bench;

import io.partita.bench.driver.StoreDriver;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One closed-loop worker of the timed run: picks a key, reads or writes it with a blocking call (one request in
 * flight) and records the latency, until the deadline or until stopped. Key choice and value generation happen
 * before the clock starts; only the store's client call is timed (see {@link TimedOps}).
 */
public final class Worker<K, V> implements Runnable {

    private final StoreDriver<K, V> driver;
    private final Workload workload;
    private final KeyChooser keys;
    private final SplittableRandom random;
    private final TimedOps<K, V> ops;
    private final long deadlineNanos;
    private final AtomicBoolean stop;

    /**
     * A worker.
     *
     * @param random        drives the read/write choice and the values; owned by this worker
     * @param deadlineNanos {@link System#nanoTime()} after which no operation is started
     * @param stop          set to end the loop early
     */
    public Worker(StoreDriver<K, V> driver, Workload workload, KeyChooser keys, SplittableRandom random,
                  WorkerStats stats, long deadlineNanos, AtomicBoolean stop) {
        this.driver = driver;
        this.workload = workload;
        this.keys = keys;
        this.random = random;
        this.ops = new TimedOps<>(driver, stats);
        this.deadlineNanos = deadlineNanos;
        this.stop = stop;
    }

    @Override
    public void run() {
        while (!stop.get() && System.nanoTime() - deadlineNanos < 0) {
            K key = driver.key(keys.next());
            if (workload.nextIsRead(random)) {
                ops.get(key);
            } else {
                ops.put(key, driver.value(workload.bins(random)));
            }
        }
    }
}
