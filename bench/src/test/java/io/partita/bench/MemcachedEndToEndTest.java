package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.bench.driver.MemcachedDriver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The generator against a real memcached from {@code bench/memcached.sh}; skipped without {@code memcached}. */
class MemcachedEndToEndTest extends PeerServerEndToEndTest {

    @Override
    ServerScript script() {
        return new ServerScript("memcached.sh");
    }

    @Override
    String binary() {
        return "memcached";
    }

    @Override
    String binaryOverride() {
        return "MEMCACHED_BIN";
    }

    @Override
    String target() {
        return "memcached";
    }

    @Test
    @Timeout(60)
    void aRecordIsItsBinsConcatenated() throws Exception {
        Workload w = Workload.readWrite("test", "bench", 2, 3, 50);
        try (MemcachedDriver driver = new MemcachedDriver(List.of(endpoint), 2000, 2, w)) {
            Map<String, Object> bins = new LinkedHashMap<>();
            bins.put("bin0", "abc");
            bins.put("bin1", "def");
            driver.put(driver.key(3), driver.value(bins));
            assertTrue(driver.get(driver.key(3)));
            assertEquals(false, driver.get(driver.key(4)), "a missing record is a miss");
            assertEquals("abcdef", new String(driver.value(bins)));
        }
    }
}
