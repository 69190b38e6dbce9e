package io.partita.bench.driver;

import io.partita.bench.Workload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.exception.MemcachedException;

/**
 * Drives memcached through xmemcached: the in-memory upper bound of the comparison (no replication, no disk). Keys
 * are the workload's key names ({@code namespace/set/index}); a value is the put's bins concatenated in bin order,
 * as for etcd. A put is a {@code set} without expiry, a get a {@code get} (no value is a miss). With several
 * {@code --hosts} the keys are spread over the servers by xmemcached's hashing.
 *
 * <p>xmemcached multiplexes requests over its connections; it keeps {@code min(threads, 8)} per server.
 * {@code --timeout-ms} is the operation timeout. Failures are counted as {@code TIMEOUT}, {@code NOT_STORED} (a
 * {@code set} the server refused) or under the first word of the server's error ({@code SERVER_ERROR}, ...).
 */
public final class MemcachedDriver implements StoreDriver<String, byte[]> {

    /** More connections than this only add context switches: each one already carries many requests. */
    static final int MAX_CONNECTIONS = 8;

    private final MemcachedClient client;
    private final Workload workload;
    private final long timeoutMs;
    private final String endpoints;

    /**
     * Connects to the servers at {@code hosts}.
     *
     * @throws UncheckedIOException if the client cannot be set up
     */
    public MemcachedDriver(List<String> hosts, long timeoutMs, int threads, Workload workload) {
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(String.join(" ", hosts));
        builder.setConnectionPoolSize(Math.max(1, Math.min(threads, MAX_CONNECTIONS)));
        builder.setOpTimeout(timeoutMs);
        builder.setConnectTimeout(timeoutMs);
        try {
            this.client = builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.workload = workload;
        this.timeoutMs = timeoutMs;
        this.endpoints = String.join(",", hosts);
    }

    @Override
    public String key(long index) {
        return workload.keyName(index);
    }

    @Override
    public byte[] value(Map<String, Object> bins) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object v : bins.values()) {
            out.writeBytes(String.valueOf(v).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Override
    public void put(String key, byte[] value) throws StoreException {
        boolean stored;
        try {
            stored = client.set(key, 0, value, timeoutMs);
        } catch (TimeoutException | MemcachedException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        if (!stored) {
            throw new StoreException(new ErrorCode("NOT_STORED", -1), "the server did not store " + key, null);
        }
    }

    @Override
    public boolean get(String key) throws StoreException {
        try {
            return client.get(key, timeoutMs) != null;
        } catch (TimeoutException | MemcachedException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    @Override
    public String endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        try {
            client.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StoreException failure(Exception e) {
        if (e instanceof TimeoutException) {
            return new StoreException(new ErrorCode("TIMEOUT", -1), e.getMessage(), e);
        }
        String m = e.getMessage() == null ? "" : e.getMessage().strip();
        String word = m.isEmpty() ? "MEMCACHED_ERROR" : m.split("\\s+", 2)[0];
        return new StoreException(new ErrorCode(word, -1), m, e);
    }

    private static IllegalStateException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IllegalStateException("interrupted", e);
    }
}
