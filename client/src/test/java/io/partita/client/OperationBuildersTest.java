package io.partita.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.OpCode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operate() builders put the arguments where OpCode documents them, and the result's by-bin view. */
class OperationBuildersTest {

    @Test
    void buildersPlaceArgumentsAsTheOperationCodesDocument() {
        assertEquals(List.of(3L, "x", 0L), ListOperation.insert("l", 3, "x").args());
        assertEquals(OpCode.LIST_INSERT, ListOperation.insert("l", 3, "x").code());
        assertEquals(List.of(-1L, 2L, 7L), ListOperation.getByIndexRange("l", -1, 2, ListReturnType.VALUE).args());
        assertEquals(List.of(0L, (long) (ListReturnType.COUNT | ListReturnType.INVERTED)),
                ListOperation.removeByIndexRange("l", 0, ListReturnType.COUNT | ListReturnType.INVERTED).args());
        assertEquals(List.of(1L, 5L), ListOperation.append(new ListPolicy(ListWriteFlags.ADD_UNIQUE
                | ListWriteFlags.NO_FAIL), "l", 1).args());
        assertEquals(List.of(2.5), Operation.add("d", 2.5).args());
        assertEquals(List.of("k", 3L, 0L), MapOperation.increment("m", "k", 3).args());
        assertEquals(List.of(1L, 1.5, 0L), ListOperation.increment("l", 1, 1.5f).args(), "a float is a double");
        assertEquals(Arrays.asList(null, "m", (long) MapReturnType.KEY_VALUE),
                MapOperation.getByKeyRange("s", null, "m", MapReturnType.KEY_VALUE).args());
        assertEquals("", Operation.get().bin());
        assertEquals(Arrays.asList((Object) null), Operation.put("a", null).args(), "a null value removes the bin");
    }

    @Test
    void anOrderRidesAfterTheFlagsOnlyWhenItIsNotTheDefault() {
        ListPolicy ordered = new ListPolicy(ListOrder.ORDERED, ListWriteFlags.ADD_UNIQUE);
        assertEquals(List.of(7L, 1L, 1L), ListOperation.append(ordered, "l", 7).args());
        assertEquals(List.of(List.of(1L, 2L), 1L, 1L), ListOperation.appendItems(ordered, "l", List.of(1L, 2L)).args());
        assertEquals(List.of(0L, 2L, 1L, 1L), ListOperation.increment(ordered, "l", 0, 2).args());
        assertEquals(List.of(7L, 1L), ListOperation.append(new ListPolicy(ListWriteFlags.ADD_UNIQUE), "l", 7).args());
        assertEquals(List.of(1L), ListOperation.setOrder("l", ListOrder.ORDERED).args());
        assertEquals(OpCode.LIST_SET_ORDER, ListOperation.create("l", ListOrder.UNORDERED).code());
        assertEquals(List.of(0L), ListOperation.create("l", ListOrder.UNORDERED).args());

        MapPolicy byKey = new MapPolicy(MapOrder.KEY_ORDERED, MapWriteFlags.CREATE_ONLY);
        assertEquals(List.of("k", 1L, 1L, 1L), MapOperation.put(byKey, "m", "k", 1L).args());
        assertEquals(List.of(Map.of("k", 1L), 1L, 1L), MapOperation.putItems(byKey, "m", Map.of("k", 1L)).args());
        assertEquals(List.of("k", 2L, 1L, 1L), MapOperation.increment(byKey, "m", "k", 2).args());
        assertEquals(List.of("k", 1L, 0L), MapOperation.put(MapPolicy.DEFAULT, "m", "k", 1L).args());
        assertEquals(OpCode.MAP_SET_ORDER, MapOperation.setMapPolicy(byKey, "m").code());
        assertEquals(List.of(1L), MapOperation.create("m", MapOrder.KEY_ORDERED).args());
        assertEquals(Arrays.asList(null, 0L), ListOperation.append(ListPolicy.DEFAULT, "l", null).args(),
                "a null element is a value like any other");
    }

    @Test
    void builderArgumentsAreCheckedBeforeAnythingIsSent() {
        assertThrows(IllegalArgumentException.class, () -> Operation.get(""));
        assertThrows(IllegalArgumentException.class, () -> Operation.put("a", new Object()));
        assertThrows(IllegalArgumentException.class, () -> MapOperation.put("m", null, 1));
        assertThrows(IllegalArgumentException.class, () -> ListOperation.increment("l", 0, new java.math.BigDecimal(1)));
        IllegalArgumentException flags = assertThrows(IllegalArgumentException.class, () -> new ListPolicy(64));
        assertTrue(flags.getMessage().contains("ListWriteFlags"), flags.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new MapPolicy(MapWriteFlags.CREATE_ONLY | MapWriteFlags.UPDATE_ONLY));
    }

    @Test
    void theRecordViewGroupsResultsByBinAsAerospikeDoes() {
        List<Operation> ops = List.of(Operation.add("n", 1), Operation.get("n"), ListOperation.size("l"),
                Operation.get("n"), Operation.get());
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("n", 2L);
        all.put("other", "x");
        OperateResult r = new OperateResult(ops, Arrays.asList(null, 1L, 4L, 2L, all), 3, 0);
        assertEquals(Arrays.asList(null, 1L, 4L, 2L, all), r.results());
        assertEquals(4L, r.record().getLong("l"));
        assertEquals("x", r.record().getString("other"));
        assertEquals(List.of(1L, 2L, 2L), r.record().getList("n"), "each read of n, the read of every bin too");
        assertEquals(3, r.record().generation());
    }
}
