package io.partita.bench;

import io.partita.bench.driver.StoreDriver;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One worker of the timed run: draws the next operation from the workload's mix, picks its record, runs it with a
 * blocking call (one request in flight) and records the latency, until the deadline or until stopped. Operation,
 * key and value are chosen before the clock starts; only the store's client calls are timed (see {@link TimedOps}),
 * from the moment the {@link Pacer} gives.
 */
public final class Worker<K, V> implements Runnable {

    private final StoreDriver<K, V> driver;
    private final Workload workload;
    private final KeyChooser keys;
    private final InsertSequence inserts;
    private final SplittableRandom random;
    private final TimedOps<K, V> ops;
    private final Pacer pacer;
    private final long deadlineNanos;
    private final AtomicBoolean stop;

    /**
     * A worker.
     *
     * @param inserts       the run's shared insert sequence
     * @param random        drives the operation choice and the values; owned by this worker
     * @param pacer         when each operation is due (and its latency measured from)
     * @param deadlineNanos {@link System#nanoTime()} after which no operation is started
     * @param stop          set to end the loop early
     */
    Worker(StoreDriver<K, V> driver, Workload workload, KeyChooser keys, InsertSequence inserts,
           SplittableRandom random, WorkerStats stats, Pacer pacer, long deadlineNanos, AtomicBoolean stop) {
        this.driver = driver;
        this.workload = workload;
        this.keys = keys;
        this.inserts = inserts;
        this.random = random;
        this.ops = new TimedOps<>(driver, stats);
        this.pacer = pacer;
        this.deadlineNanos = deadlineNanos;
        this.stop = stop;
    }

    @Override
    public void run() {
        while (!stop.get() && System.nanoTime() - deadlineNanos < 0) {
            OpType op = workload.nextOp(random);
            switch (op) {
                case READ -> {
                    K key = driver.key(keys.next());
                    ops.read(key, pacer.awaitNext());
                }
                case UPDATE -> {
                    K key = driver.key(keys.next());
                    V value = driver.value(workload.bins(random));
                    ops.write(OpType.UPDATE, key, value, pacer.awaitNext());
                }
                case INSERT -> {
                    long index = inserts.next();
                    V value = driver.value(workload.bins(random));
                    try {
                        ops.write(OpType.INSERT, driver.key(index), value, pacer.awaitNext());
                    } finally {
                        inserts.completed(index);
                    }
                }
                case SCAN -> {
                    K key = driver.key(keys.next());
                    int length = workload.nextScanLength(random);
                    ops.scan(key, length, pacer.awaitNext());
                }
                case RMW -> {
                    K key = driver.key(keys.next());
                    V value = driver.value(workload.bins(random));
                    ops.readModifyWrite(key, value, pacer.awaitNext());
                }
                default -> throw new IllegalStateException("unhandled operation " + op);
            }
        }
    }
}
