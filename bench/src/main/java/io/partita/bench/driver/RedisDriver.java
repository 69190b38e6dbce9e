package io.partita.bench.driver;

import io.partita.bench.Workload;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Drives one Redis server through Jedis. A record is a Redis hash under the workload's key name
 * ({@code namespace/set/index}) with one field per bin ({@code bin0 ...}): a put is one {@code HSET} of every bin, a
 * get one {@code HGETALL} (an empty answer is a miss). Durability is the server's: started by
 * {@code bench/redis-server.sh}, Redis appends every write to its AOF and fsyncs it before answering
 * ({@code appendfsync always}).
 *
 * <p>Jedis's connections are blocking (one request in flight each), so the pool holds one connection per worker
 * thread. Only the first of {@code --hosts} is used (one server, no cluster). {@code --timeout-ms} is the socket
 * timeout and the longest wait for a pooled connection. Failures are counted under the error reply's first word
 * ({@code ERR}, {@code MISCONF}, {@code OOM}, ...), {@code TIMEOUT} or {@code CONNECTION}.
 */
public final class RedisDriver implements StoreDriver<String, Map<String, String>> {

    private final JedisPooled jedis;
    private final Workload workload;
    private final String endpoint;

    /** A driver for the server at {@code hosts.get(0)}; connects lazily. */
    public RedisDriver(List<String> hosts, long timeoutMs, int threads, Workload workload) {
        this.endpoint = hosts.get(0);
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(threads);
        pool.setMaxIdle(threads);
        pool.setMaxWait(java.time.Duration.ofMillis(timeoutMs));
        int timeout = (int) Math.min(Integer.MAX_VALUE, timeoutMs);
        this.jedis = new JedisPooled(HostAndPort.from(endpoint),
            DefaultJedisClientConfig.builder().timeoutMillis(timeout).build(), pool);
        this.workload = workload;
    }

    @Override
    public String key(long index) {
        return workload.keyName(index);
    }

    @Override
    public Map<String, String> value(Map<String, Object> bins) {
        Map<String, String> fields = new LinkedHashMap<>(bins.size() * 2);
        bins.forEach((name, v) -> fields.put(name, String.valueOf(v)));
        return fields;
    }

    @Override
    public void put(String key, Map<String, String> value) throws StoreException {
        try {
            jedis.hset(key, value);
        } catch (JedisException e) {
            throw failure(e);
        }
    }

    @Override
    public boolean get(String key) throws StoreException {
        try {
            return !jedis.hgetAll(key).isEmpty();
        } catch (JedisException e) {
            throw failure(e);
        }
    }

    @Override
    public String endpoints() {
        return endpoint;
    }

    @Override
    public void close() {
        jedis.close();
    }

    /** The failure as the report counts it. */
    static StoreException failure(JedisException e) {
        return new StoreException(code(e), e.getMessage(), e);
    }

    static ErrorCode code(JedisException e) {
        if (e instanceof JedisDataException && e.getMessage() != null && !e.getMessage().isBlank()) {
            return new ErrorCode(e.getMessage().strip().split("\\s+", 2)[0], -1); // the error reply's code word
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SocketTimeoutException) {
                return new ErrorCode("TIMEOUT", -1);
            }
        }
        return e instanceof JedisConnectionException ? new ErrorCode("CONNECTION", -1)
            : ErrorCode.CLIENT_EXCEPTION;
    }
}
