package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.bench.driver.RedisDriver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** The generator against a real Redis from {@code bench/redis-server.sh}; skipped without {@code redis-server}. */
class RedisEndToEndTest extends PeerServerEndToEndTest {

    @Override
    ServerScript script() {
        return new ServerScript("redis-server.sh");
    }

    @Override
    String binary() {
        return "redis-server";
    }

    @Override
    String binaryOverride() {
        return "REDIS_BIN";
    }

    @Override
    String target() {
        return "redis";
    }

    @Test
    @Timeout(60)
    void everyWriteIsFsyncedToTheAppendOnlyFileAndRecordsAreHashes() throws Exception {
        Workload w = Workload.readWrite("test", "bench", 2, 10, 50);
        try (RedisDriver driver = new RedisDriver(List.of(endpoint), 2000, 2, w);
             Jedis jedis = new Jedis(HostAndPort.from(endpoint))) {
            assertEquals(Map.of("appendonly", "yes"), jedis.configGet("appendonly"));
            assertEquals(Map.of("appendfsync", "always"), jedis.configGet("appendfsync"));
            assertEquals(Map.of("save", ""), jedis.configGet("save"));
            driver.put(driver.key(7), driver.value(Map.of("bin0", "0123456789", "bin1", "abcdefghij")));
            assertEquals(Map.of("bin0", "0123456789", "bin1", "abcdefghij"), jedis.hgetAll("test/bench/7"));
            assertTrue(driver.get(driver.key(7)));
            assertEquals(false, driver.get(driver.key(8)), "a missing record is a miss");
        }
    }
}
