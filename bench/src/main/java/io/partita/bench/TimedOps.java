package io.partita.bench;

import io.partita.bench.driver.ErrorCode;
import io.partita.bench.driver.StoreDriver;
import io.partita.bench.driver.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread's operations: calls the driver and records the outcome in the thread's {@link WorkerStats} (a
 * completed operation with its latency, a miss, or an error by code). The latency runs from {@code start}, which
 * the caller gives: the actual start of the call in a closed loop, the intended start when paced (see
 * {@link Pacer}). Used by the workers of the timed run and of the load phase; one per thread, not thread-safe.
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

    /** Reads {@code key} as {@link OpType#READ}; a record that does not exist is a completed operation and a miss. */
    void read(K key, long start) {
        try {
            completed(OpType.READ, driver.get(key), start);
        } catch (StoreException e) {
            stats.error(OpType.READ, e.code());
        } catch (RuntimeException e) {
            unexpected(OpType.READ, e);
        }
    }

    /** Writes {@code value} under {@code key}, counted as {@code op} ({@link OpType#UPDATE} or {@link OpType#INSERT}). */
    void write(OpType op, K key, V value, long start) {
        try {
            driver.put(key, value);
            completed(op, true, start);
        } catch (StoreException e) {
            stats.error(op, e.code());
        } catch (RuntimeException e) {
            unexpected(op, e);
        }
    }

    /** Scans up to {@code count} records from {@code key}; a scan that finds none is a miss. */
    void scan(K key, int count, long start) {
        try {
            completed(OpType.SCAN, driver.scan(key, count) > 0, start);
        } catch (StoreException e) {
            stats.error(OpType.SCAN, e.code());
        } catch (RuntimeException e) {
            unexpected(OpType.SCAN, e);
        }
    }

    /** Reads {@code key}, then writes {@code value} under it (whether it existed or not: a miss if it did not). */
    void readModifyWrite(K key, V value, long start) {
        try {
            completed(OpType.RMW, driver.readModifyWrite(key, value), start);
        } catch (StoreException e) {
            stats.error(OpType.RMW, e.code());
        } catch (RuntimeException e) {
            unexpected(OpType.RMW, e);
        }
    }

    private void completed(OpType op, boolean found, long start) {
        long micros = (System.nanoTime() - start) / 1000;
        if (found) {
            stats.success(op, micros);
        } else {
            stats.miss(op, micros);
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
}
