package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.Key;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void writesTheConfiguredBinsOfTheConfiguredSizeWithFreshContent() {
        Workload w = new Workload("test", "bench", 3, 37, 50);
        SplittableRandom r = new SplittableRandom(1);
        Map<String, Object> a = w.bins(r);
        assertEquals(List.of("bin0", "bin1", "bin2"), List.copyOf(a.keySet()));
        for (Object v : a.values()) {
            assertEquals(37, ((String) v).getBytes(StandardCharsets.UTF_8).length);
        }
        assertNotEquals(a.get("bin0"), a.get("bin1"));
        assertNotEquals(a, w.bins(r));
    }

    @Test
    void keysAreLongUserKeysInTheNamespaceAndSet() {
        Key k = new Workload("test", "bench", 1, 1, 50).key(17);
        assertEquals(new Key("test", "bench", 17L), k);
    }

    @Test
    void readShareFollowsTheReadPercent() {
        SplittableRandom r = new SplittableRandom(5);
        Workload none = new Workload("test", "s", 1, 1, 0);
        Workload all = new Workload("test", "s", 1, 1, 100);
        Workload quarter = new Workload("test", "s", 1, 1, 25);
        int reads = 0;
        for (int i = 0; i < 40_000; i++) {
            assertFalse(none.nextIsRead(r));
            assertTrue(all.nextIsRead(r));
            reads += quarter.nextIsRead(r) ? 1 : 0;
        }
        assertTrue(reads > 9_400 && reads < 10_600, "reads: " + reads);
    }
}
