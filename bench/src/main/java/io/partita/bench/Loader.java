package io.partita.bench;

import io.partita.bench.driver.StoreDriver;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code --load} phase: writes every key of the key space once (create or update), with {@code threads}
 * threads taking the next unwritten index from a shared counter, and prints progress.
 */
public final class Loader<K, V> {

    private final StoreDriver<K, V> driver;
    private final Workload workload;
    private final long keys;
    private final int threads;
    private final Duration progressInterval;
    private final PrintStream progress;

    /** A loader; progress lines go to {@code progress} every {@code progressInterval}. */
    public Loader(StoreDriver<K, V> driver, Workload workload, long keys, int threads, Duration progressInterval,
                  PrintStream progress) {
        this.driver = driver;
        this.workload = workload;
        this.keys = keys;
        this.threads = threads;
        this.progressInterval = progressInterval;
        this.progress = progress;
    }

    /**
     * Writes every key once; returns when all are written or failed.
     *
     * @param random source of the per-thread value generators
     * @param watch  measures the phase's CPU and context switches
     */
    public LoadSummary run(SplittableRandom random, ProcessCost watch) throws InterruptedException {
        ProcessCost.Sample before = watch.sample();
        AtomicLong next = new AtomicLong();
        int n = (int) Math.min(threads, keys);
        List<WorkerStats> stats = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(n);
        long start = System.nanoTime();
        for (int t = 0; t < n; t++) {
            WorkerStats s = new WorkerStats();
            stats.add(s);
            SplittableRandom r = random.split();
            Thread thread = new Thread(() -> {
                try {
                    loadKeys(next, s, r);
                } finally {
                    done.countDown();
                }
            }, "partita-bench-load-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        StatsCollector collector = new StatsCollector(stats);
        long written = 0;
        long intervalStart = start;
        long intervalNanos = progressInterval.toNanos();
        while (!done.await(intervalStart + intervalNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
            long now = System.nanoTime();
            long count = StatsCollector.count(collector.drain());
            written += count;
            progress.println(ReportFormatter.loadProgressLine(written, keys, count / seconds(now - intervalStart),
                collector.tally().errors()));
            intervalStart = now;
        }
        double seconds = seconds(System.nanoTime() - start);
        written += StatsCollector.count(collector.drain());
        return new LoadSummary(keys, written, seconds, collector.tally().errorsByCode(OpType.INSERT),
            watch.since(before));
    }

    private void loadKeys(AtomicLong next, WorkerStats stats, SplittableRandom random) {
        TimedOps<K, V> ops = new TimedOps<>(driver, stats);
        for (long i = next.getAndIncrement(); i < keys; i = next.getAndIncrement()) {
            V value = driver.value(workload.bins(random));
            ops.write(OpType.INSERT, driver.key(i), value, System.nanoTime());
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
