package io.partita.bench.driver;

import java.util.Map;

/**
 * What the load generator needs of a store: blocking put and get of one record, so that each worker thread keeps
 * exactly one request in flight. One driver is shared by all worker threads (thread-safe).
 *
 * <p>{@link #key} and {@link #value} turn the workload's record index and bins into the store's own types. The
 * generator calls them before it starts the clock, so that only {@link #put} and {@link #get}, the calls to the
 * store's client, are timed.
 *
 * <p>Failures: a failure that the store reports with a result code is a {@link StoreException} carrying that code;
 * anything else (a {@code RuntimeException}) is counted as {@link ErrorCode#CLIENT_EXCEPTION} and logged once per
 * thread.
 *
 * @param <K> the store's key type
 * @param <V> the store's value type
 */
public interface StoreDriver<K, V> extends AutoCloseable {

    /** The key of record {@code index} (same index, same key, every time). */
    K key(long index);

    /** The value of one write of {@code bins} (the workload's bins, in bin order). */
    V value(Map<String, Object> bins);

    /** Writes the record, creating or replacing it; returns once the store has acknowledged it. */
    void put(K key, V value) throws StoreException;

    /** Reads the record: {@code true} if it exists, {@code false} if it does not (a miss). */
    boolean get(K key) throws StoreException;

    /**
     * Reads the record and writes {@code value} over it (YCSB's read-modify-write). By default a get then a put, two
     * calls, as YCSB's own bindings do; a store with an atomic form overrides it with one call.
     *
     * @return {@code true} if the record existed before the write
     */
    default boolean readModifyWrite(K key, V value) throws StoreException {
        boolean found = get(key);
        put(key, value);
        return found;
    }

    /**
     * Reads up to {@code count} records in the store's key order, from {@code start} on. Only called on drivers whose
     * {@link Target#canScan()} is true; the generator refuses a workload with scans for the others.
     *
     * @return the number of records read (0 is a miss)
     * @throws UnsupportedOperationException if the driver cannot scan
     */
    default int scan(K start, int count) throws StoreException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot scan");
    }

    /** The endpoints the driver talks to, as given ({@code host:port,...}), for messages. */
    String endpoints();

    /**
     * One read before the run, so that a store that cannot serve fails fast.
     *
     * @return {@code null} if the store answered, else the problem in one line
     */
    default String probe() {
        try {
            get(key(0));
            return null;
        } catch (StoreException e) {
            return notServing(endpoints(), e.code(), e.getMessage());
        }
    }

    /** Closes the client; blocks until its connections are released. */
    @Override
    void close();

    /** The problem line of a probe that failed with {@code code}. */
    static String notServing(String endpoints, ErrorCode code, String message) {
        return "the cluster at " + endpoints + " does not serve requests (" + code.label() + "): " + message;
    }
}
