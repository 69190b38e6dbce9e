package io.partita.bench;

import io.partita.bench.driver.ErrorCode;
import io.partita.bench.driver.StoreDriver;
import io.partita.bench.driver.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread's gets and puts: calls the driver, times the call alone, and records the outcome in the thread's
 * {@link WorkerStats} (a completed operation with its latency, a miss, or an error by code). Used by the workers of
 * the timed run and of the load phase; one per thread, not thread-safe.
 */
final class TimedOps<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(TimedOps.class);

    private final StoreDriver<K, V> driver;
    private final WorkerStats stats;
    private boolean loggedException;

    TimedOps(StoreDriver<K, V> driver, WorkerStats stats) {
        this.driver = driver;
        this.stats = stats;
    }

    /** Reads {@code key}; a record that does not exist is a completed operation and a miss. */
    void get(K key) {
        long start = System.nanoTime();
        try {
            boolean found = driver.get(key);
            long micros = micros(start);
            if (found) {
                stats.success(OpType.GET, micros);
            } else {
                stats.miss(OpType.GET, micros);
            }
        } catch (StoreException e) {
            stats.error(OpType.GET, e.code());
        } catch (RuntimeException e) {
            unexpected(OpType.GET, e);
        }
    }

    /** Writes {@code value} under {@code key}. */
    void put(K key, V value) {
        long start = System.nanoTime();
        try {
            driver.put(key, value);
            stats.success(OpType.PUT, micros(start));
        } catch (StoreException e) {
            stats.error(OpType.PUT, e.code());
        } catch (RuntimeException e) {
            unexpected(OpType.PUT, e);
        }
    }

    private void unexpected(OpType op, RuntimeException e) {
        stats.error(op, ErrorCode.CLIENT_EXCEPTION);
        if (!loggedException) {
            loggedException = true;
            LOG.warn("{} failed without a result code (counted as {}; further ones of this thread are counted only)",
                op.label(), Tally.CLIENT_EXCEPTION, e);
        }
    }

    private static long micros(long startNanos) {
        return (System.nanoTime() - startNanos) / 1000;
    }
}
