package io.partita.bench;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Record;
import io.partita.protocol.ResultCode;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One closed-loop worker of the timed run: picks a key, reads or writes it with the sync API (one request in flight)
 * and records the latency, until the deadline or until stopped. Key choice and value generation happen before the
 * clock starts; only the client call is timed.
 */
public final class Worker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final PartitaClient client;
    private final Workload workload;
    private final KeyChooser keys;
    private final SplittableRandom random;
    private final WorkerStats stats;
    private final long deadlineNanos;
    private final AtomicBoolean stop;
    private boolean loggedException;

    /**
     * A worker.
     *
     * @param random        drives the read/write choice and the values; owned by this worker
     * @param deadlineNanos {@link System#nanoTime()} after which no operation is started
     * @param stop          set to end the loop early
     */
    public Worker(PartitaClient client, Workload workload, KeyChooser keys, SplittableRandom random,
                  WorkerStats stats, long deadlineNanos, AtomicBoolean stop) {
        this.client = client;
        this.workload = workload;
        this.keys = keys;
        this.random = random;
        this.stats = stats;
        this.deadlineNanos = deadlineNanos;
        this.stop = stop;
    }

    @Override
    public void run() {
        while (!stop.get() && System.nanoTime() - deadlineNanos < 0) {
            Key key = workload.key(keys.next());
            if (workload.nextIsRead(random)) {
                get(key);
            } else {
                put(key, workload.bins(random));
            }
        }
    }

    private void get(Key key) {
        long start = System.nanoTime();
        try {
            Record record = client.get(key);
            long micros = micros(start);
            if (record == null) {
                stats.miss(OpType.GET, micros);
            } else {
                stats.success(OpType.GET, micros);
            }
        } catch (PartitaException e) {
            if (e.resultCode() == ResultCode.KEY_NOT_FOUND) {
                stats.miss(OpType.GET, micros(start));
            } else {
                stats.error(OpType.GET, e.resultCode());
            }
        } catch (RuntimeException e) {
            unexpected(OpType.GET, e);
        }
    }

    private void put(Key key, Map<String, Object> bins) {
        long start = System.nanoTime();
        try {
            client.put(key, bins);
            stats.success(OpType.PUT, micros(start));
        } catch (PartitaException e) {
            stats.error(OpType.PUT, e.resultCode());
        } catch (RuntimeException e) {
            unexpected(OpType.PUT, e);
        }
    }

    private void unexpected(OpType op, RuntimeException e) {
        stats.error(op, null);
        if (!loggedException) {
            loggedException = true;
            LOG.warn("{} failed without a result code (counted as {}; further ones are counted only)", op.label(),
                Tally.CLIENT_EXCEPTION, e);
        }
    }

    private static long micros(long startNanos) {
        return (System.nanoTime() - startNanos) / 1000;
    }
}
