package io.partita.bench;

import io.partita.bench.driver.StoreDriver;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * The timed run: starts the workers, which run for warm-up plus duration; discards what they measured during the
 * warm-up; drains their statistics every progress interval (progress line, histogram log) and once more after they
 * stopped. The calling thread is the only reader of the workers' statistics.
 */
public final class BenchRun<K, V> {

    /**
     * What the recorded part of the run measured.
     *
     * @param seconds    from the end of the warm-up until the last worker stopped
     * @param latencyUs  latencies of completed operations per operation type
     * @param tally      misses and errors
     */
    public record Result(double seconds, Map<OpType, Histogram> latencyUs, Tally tally, ProcessCost.Cost cost) {
    }

    private final StoreDriver<K, V> driver;
    private final Workload workload;
    private final long records;
    private final int threads;
    private final double targetRate;
    private final Duration warmup;
    private final Duration duration;
    private final Duration progressInterval;
    private final PrintStream progress;
    private final HistogramLog log;
    private final ProcessCost watch;

    /**
     * A run.
     *
     * @param records    the loaded records, {@code 0..records-1}; inserts add records after them
     * @param targetRate total operations per second the workers aim for (coordinated omission corrected), or 0 for
     *                   a closed loop
     * @param progress   where progress lines go
     * @param log        histogram log of the recorded intervals, or {@code null}; its header is written here
     * @param watch      measures the recorded window's CPU and context switches
     */
    public BenchRun(StoreDriver<K, V> driver, Workload workload, long records, int threads, double targetRate,
                    Duration warmup, Duration duration, Duration progressInterval, PrintStream progress,
                    HistogramLog log, ProcessCost watch) {
        this.driver = driver;
        this.workload = workload;
        this.records = records;
        this.threads = threads;
        this.targetRate = targetRate;
        this.warmup = warmup;
        this.duration = duration;
        this.progressInterval = progressInterval;
        this.progress = progress;
        this.log = log;
        this.watch = watch;
    }

    /**
     * Runs the workers to the end and returns the measurements of the recorded part.
     *
     * @param random source of the workers' key choosers and value generators (split in worker order)
     * @param logComment first comment of the histogram log
     */
    public Result run(SplittableRandom random, String logComment) throws InterruptedException {
        List<WorkerStats> stats = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(threads);
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        long warmupEnd = start + warmup.toNanos();
        long deadline = warmupEnd + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        InsertSequence inserts = new InsertSequence(records);
        for (int t = 0; t < threads; t++) {
            WorkerStats s = new WorkerStats();
            stats.add(s);
            Pacer pacer = targetRate > 0 ? Pacer.atRate(targetRate, threads, t, start) : Pacer.closedLoop();
            KeyChooser keys = KeyChooser.of(workload.distribution(), records, inserts, random.split());
            Worker<K, V> w = new Worker<>(driver, workload, keys, inserts, random.split(), s, pacer, deadline, stop);
            Thread thread = new Thread(() -> {
                try {
                    w.run();
                } finally {
                    done.countDown();
                }
            }, "partita-bench-" + t);
            thread.setDaemon(true);
            workers.add(thread);
        }
        workers.forEach(Thread::start);
        StatsCollector collector = new StatsCollector(stats);
        try {
            return measure(collector, done, start, warmupEnd, logComment);
        } finally {
            stop.set(true); // on interruption: let the workers finish their current operation and quit
        }
    }

    private Result measure(StatsCollector collector, CountDownLatch done, long start, long warmupEnd,
                           String logComment) throws InterruptedException {
        long interval = progressInterval.toNanos();
        boolean warming = warmupEnd > start;
        long phaseStart = start;
        long intervalStart = start;
        long recordStart = start;
        long recordStartMs = System.currentTimeMillis();
        Tally baseline = Tally.empty();
        Map<OpType, Histogram> totals = new EnumMap<>(OpType.class);
        for (OpType op : OpType.values()) {
            totals.put(op, StatsCollector.newHistogram());
        }
        ProcessCost.Sample costStart = watch.sample();
        if (!warming && log != null) {
            log.start(recordStartMs, logComment, workload.mix().ops());
        }
        while (true) {
            long wake = intervalStart + interval;
            if (warming) {
                wake = Math.min(wake, warmupEnd);
            }
            if (done.await(wake - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                break;
            }
            long now = System.nanoTime();
            if (warming && now - warmupEnd >= 0) {
                collector.drain(); // warm-up measurements are discarded
                baseline = collector.tally();
                warming = false;
                phaseStart = now;
                intervalStart = now;
                recordStart = now;
                recordStartMs = System.currentTimeMillis();
                costStart = watch.sample();
                if (log != null) {
                    log.start(recordStartMs, logComment, workload.mix().ops());
                }
                continue;
            }
            Map<OpType, Histogram> h = collector.drain();
            Tally tally = collector.tally().minus(baseline);
            if (!warming) {
                addAll(totals, h);
                if (log != null) {
                    log.interval(seconds(intervalStart - recordStart), seconds(now - recordStart), only(h));
                }
            }
            progress.println(ReportFormatter.progressLine(warming ? "warmup" : "run", seconds(now - phaseStart),
                warming ? warmup : duration, StatsCollector.count(h) / seconds(now - intervalStart),
                tally.misses(), tally.errors()));
            intervalStart = now;
        }
        long end = System.nanoTime();
        ProcessCost.Cost cost = watch.since(costStart);
        Map<OpType, Histogram> last = collector.drain();
        if (warming) { // every worker stopped before the warm-up ended: nothing was recorded
            return new Result(0, totals, Tally.empty(), null);
        }
        addAll(totals, last);
        if (log != null) {
            log.interval(seconds(intervalStart - recordStart), seconds(end - recordStart), only(last));
        }
        return new Result(seconds(end - recordStart), totals, collector.tally().minus(baseline), cost);
    }

    /** The histograms of the mix's operations (the others are always empty). */
    private Map<OpType, Histogram> only(Map<OpType, Histogram> all) {
        Map<OpType, Histogram> out = new EnumMap<>(OpType.class);
        for (OpType op : workload.mix().ops()) {
            out.put(op, all.get(op));
        }
        return out;
    }

    private static void addAll(Map<OpType, Histogram> totals, Map<OpType, Histogram> interval) {
        interval.forEach((op, h) -> totals.get(op).add(h));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
