package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OperationMixTest {

    private static Map<OpType, Integer> draw(OperationMix mix, int n) {
        SplittableRandom r = new SplittableRandom(7);
        Map<OpType, Integer> counts = new EnumMap<>(OpType.class);
        for (int i = 0; i < n; i++) {
            counts.merge(mix.next(r), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void drawsEachOperationInProportionToItsWeight() {
        Map<OpType, Integer> c = draw(OperationMix.parse("read=95, insert=5"), 100_000);
        assertEquals(List.of(OpType.READ, OpType.INSERT), List.copyOf(c.keySet()));
        assertTrue(c.get(OpType.INSERT) > 4_600 && c.get(OpType.INSERT) < 5_400, c.toString());
        Map<OpType, Integer> f = draw(CoreWorkload.F.mix(), 100_000);
        assertTrue(f.get(OpType.RMW) > 49_000 && f.get(OpType.RMW) < 51_000, f.toString());
    }

    @Test
    void readPercentIsAReadUpdateMix() {
        assertEquals(List.of(OpType.UPDATE), OperationMix.readPercent(0).ops());
        assertEquals(List.of(OpType.READ), OperationMix.readPercent(100).ops());
        Map<OpType, Integer> c = draw(OperationMix.readPercent(25), 40_000);
        assertTrue(c.get(OpType.READ) > 9_400 && c.get(OpType.READ) < 10_600, c.toString());
        assertEquals(OperationMix.parse("read=1,update=3"), OperationMix.readPercent(25));
    }

    @Test
    void describesItselfInPercent() {
        assertEquals("read 95%, insert 5%", CoreWorkload.D.mix().toString());
        assertEquals("read 33.33%, update 66.67%", OperationMix.parse("update=2,read=1").toString());
        assertEquals(0.5, CoreWorkload.A.mix().share(OpType.UPDATE), 1e-12);
        assertEquals(0, CoreWorkload.A.mix().share(OpType.SCAN));
    }

    @Test
    void refusesBadSpecifications() {
        assertEquals("'read' is not op=weight",
            assertThrows(IllegalArgumentException.class, () -> OperationMix.parse("read")).getMessage());
        assertEquals("'read=x': the weight is not a number",
            assertThrows(IllegalArgumentException.class, () -> OperationMix.parse("read=x")).getMessage());
        assertEquals("read is given twice",
            assertThrows(IllegalArgumentException.class, () -> OperationMix.parse("read=1,read=2")).getMessage());
        assertEquals("weights must be finite and >= 0, got -1.0",
            assertThrows(IllegalArgumentException.class, () -> OperationMix.parse("read=-1")).getMessage());
    }
}
