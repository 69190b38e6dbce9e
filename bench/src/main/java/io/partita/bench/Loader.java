package io.partita.bench;

import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code --load} phase: writes every key of the key space once (create or update), with {@code threads}
 * threads taking the next unwritten index from a shared counter, and prints progress.
 */
public final class Loader {
    private static final Logger LOG = LoggerFactory.getLogger(Loader.class);

    private final PartitaClient client;
    private final Workload workload;
    private final long keys;
    private final int threads;
    private final Duration progressInterval;
    private final PrintStream progress;

    /** A loader; progress lines go to {@code progress} every {@code progressInterval}. */
    public Loader(PartitaClient client, Workload workload, long keys, int threads, Duration progressInterval,
                  PrintStream progress) {
        this.client = client;
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
     */
    public LoadSummary run(SplittableRandom random) throws InterruptedException {
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
        return new LoadSummary(keys, written, seconds, collector.tally().errorsByCode(OpType.PUT));
    }

    private void loadKeys(AtomicLong next, WorkerStats stats, SplittableRandom random) {
        boolean logged = false;
        for (long i = next.getAndIncrement(); i < keys; i = next.getAndIncrement()) {
            long t0 = System.nanoTime();
            try {
                client.put(workload.key(i), workload.bins(random));
                stats.success(OpType.PUT, (System.nanoTime() - t0) / 1000);
            } catch (PartitaException e) {
                stats.error(OpType.PUT, e.resultCode());
            } catch (RuntimeException e) {
                stats.error(OpType.PUT, null);
                if (!logged) {
                    logged = true;
                    LOG.warn("load put failed without a result code (further ones are counted only)", e);
                }
            }
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
