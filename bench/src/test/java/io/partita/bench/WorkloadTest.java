package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        Workload w = Workload.readWrite("test", "bench", 3, 37, 50);
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
        Key k = Workload.readWrite("test", "bench", 1, 1, 50).key(17);
        assertEquals(new Key("test", "bench", 17L), k);
    }

    @Test
    void scanLengthsAreBetweenOneAndTheMaximum() {
        Workload w = new Workload("test", "s", 1, 1, OperationMix.parse("scan=1"), Distribution.UNIFORM, 5);
        SplittableRandom r = new SplittableRandom(3);
        int[] seen = new int[6];
        for (int i = 0; i < 5_000; i++) {
            seen[w.nextScanLength(r)]++;
        }
        assertEquals(0, seen[0]);
        for (int len = 1; len <= 5; len++) {
            assertTrue(seen[len] > 800, "length " + len + ": " + seen[len]);
        }
    }
}
