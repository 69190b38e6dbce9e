package io.partita.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.ResultCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Record, policies, config, exists-action mapping and exception. */
class ModelTest {

    private static Record record() {
        Map<String, Object> bins = new LinkedHashMap<>();
        bins.put("l", 1L);
        bins.put("d", 2.5);
        bins.put("s", "x");
        bins.put("b", new byte[] {(byte) 0xAB});
        bins.put("t", true);
        bins.put("list", new ArrayList<>(List.of(1L, new ArrayList<>(List.of(2L)))));
        bins.put("map", new LinkedHashMap<>(Map.of("k", "v")));
        return new Record(3, 10_000, 5_000, bins);
    }

    @Test
    void recordGetters() {
        Record r = record();
        assertEquals(3, r.generation());
        assertEquals(10_000, r.voidTimeMs());
        assertEquals(5_000, r.lastUpdateMs());
        assertEquals(1L, r.getLong("l"));
        assertEquals(2.5, r.getDouble("d"));
        assertEquals("x", r.getString("s"));
        assertEquals((byte) 0xAB, r.getBytes("b")[0]);
        assertEquals(true, r.getBoolean("t"));
        assertEquals(List.of(1L, List.of(2L)), r.getList("list"));
        assertEquals(Map.of("k", "v"), r.getMap("map"));
        assertEquals("x", r.getValue("s"));
        assertNull(r.getLong("missing"));
        ClassCastException e = assertThrows(ClassCastException.class, () -> r.getLong("s"));
        assertTrue(e.getMessage().contains("'s'") && e.getMessage().contains("String"), e.getMessage());
    }

    @Test
    void recordIsDeeplyUnmodifiable() {
        Map<String, Object> bins = new LinkedHashMap<>();
        List<Object> inner = new ArrayList<>(List.of(1L));
        bins.put("list", inner);
        Record r = new Record(1, 0, 0, bins);
        bins.put("other", 1L);
        inner.add(2L);
        assertEquals(1, r.bins().size());
        assertEquals(List.of(1L), r.getList("list"));
        assertThrows(UnsupportedOperationException.class, () -> r.bins().put("x", 1L));
        assertThrows(UnsupportedOperationException.class, () -> r.getList("list").add(3L));
        assertThrows(UnsupportedOperationException.class, () -> record().getMap("map").put("a", "b"));
        @SuppressWarnings("unchecked")
        List<Object> nested = (List<Object>) record().getList("list").get(1);
        assertThrows(UnsupportedOperationException.class, () -> nested.add(3L));
    }

    @Test
    void recordTtlAndToString() {
        Record r = record();
        assertEquals(5, r.ttlSeconds(5_000));
        assertEquals(1, r.ttlSeconds(9_999));
        assertEquals(0, r.ttlSeconds(10_000));
        assertEquals(0, r.ttlSeconds(20_000));
        assertEquals(-1, new Record(1, 0, 0, Map.of()).ttlSeconds(123));
        String s = r.toString();
        assertTrue(s.contains("gen=3") && s.contains("s=\"x\"") && s.contains("b=bytes[1]{ab}")
            && s.contains("list=[1, [2]]") && s.contains("map={\"k\"=\"v\"}"), s);
    }

    @Test
    void policyDefaultsAndBuilders() {
        Policy d = Policy.defaults();
        assertEquals(10_000, d.timeoutMs());
        assertEquals(30, d.maxRetries());
        assertEquals(10, d.sleepBetweenRetriesMs());
        Policy p = Policy.builder().timeoutMs(50).maxRetries(0).sleepBetweenRetriesMs(0).build();
        assertEquals(50, p.timeoutMs());
        assertEquals(0, p.maxRetries());
        assertEquals(p.toString(), p.toBuilder().build().toString());
        assertThrows(IllegalArgumentException.class, () -> Policy.builder().timeoutMs(0).build());
        assertThrows(IllegalArgumentException.class, () -> Policy.builder().maxRetries(-1).build());
        assertThrows(IllegalArgumentException.class, () -> Policy.builder().sleepBetweenRetriesMs(-1).build());
        assertEquals(ReadMode.LINEARIZABLE, d.readMode());
        Policy replica = p.toBuilder().readMode(ReadMode.ANY_REPLICA).build();
        assertEquals(ReadMode.ANY_REPLICA, replica.readMode());
        assertEquals(ReadMode.ANY_REPLICA, replica.toBuilder().build().readMode());
        assertEquals(50, replica.timeoutMs());
        assertThrows(IllegalArgumentException.class, () -> Policy.builder().readMode(null).build());
        assertEquals(2000, d.attemptTimeoutMs());
        assertEquals(0, p.toBuilder().attemptTimeoutMs(0).build().toBuilder().build().attemptTimeoutMs());
        assertThrows(IllegalArgumentException.class, () -> Policy.builder().attemptTimeoutMs(-1).build());
        assertEquals(ReadMode.ANY_REPLICA, WritePolicy.builder().readMode(ReadMode.ANY_REPLICA).expectedGeneration(2)
            .build().toBuilder().build().readMode());

        WritePolicy w = WritePolicy.defaults();
        assertEquals(RecordExistsAction.CREATE_OR_UPDATE, w.existsAction());
        assertEquals(0, w.expectedGeneration());
        assertEquals(0, w.ttlSeconds());
        assertEquals(10_000, w.timeoutMs());
        WritePolicy w2 = WritePolicy.builder().timeoutMs(77).existsAction(RecordExistsAction.CREATE_ONLY)
            .expectedGeneration(4).ttlSeconds(WritePolicy.TTL_DONT_UPDATE).maxRetries(1).attemptTimeoutMs(300).build();
        WritePolicy copy = w2.toBuilder().build();
        assertEquals(w2.toString(), copy.toString());
        assertEquals(77, copy.timeoutMs());
        assertEquals(300, copy.attemptTimeoutMs());
        assertEquals(-2, copy.ttlSeconds());
        assertThrows(IllegalArgumentException.class, () -> WritePolicy.builder().ttlSeconds(-3).build());
        assertThrows(IllegalArgumentException.class, () -> WritePolicy.builder().expectedGeneration(-1).build());
        assertThrows(IllegalArgumentException.class, () -> WritePolicy.builder().existsAction(null).build());
    }

    @Test
    void existsActionMapsToTheWireEnum() {
        for (RecordExistsAction a : RecordExistsAction.values()) {
            assertEquals(a.name(), a.toProto().name());
        }
        assertSame(io.partita.protocol.v1.RecordExistsAction.UPDATE_ONLY, RecordExistsAction.UPDATE_ONLY.toProto());
    }

    @Test
    void clientConfig() {
        ClientConfig c = ClientConfig.builder().seeds("a:1", "[::1]:7000").seeds(List.of("h.example:65535"))
            .tendIntervalMs(200).connectTimeoutMs(300).build();
        assertEquals(List.of("a:1", "[::1]:7000", "h.example:65535"), c.seeds());
        assertEquals(200, c.tendIntervalMs());
        assertEquals(300, c.connectTimeoutMs());
        assertSame(Policy.defaults(), c.defaultPolicy());
        assertSame(WritePolicy.defaults(), c.defaultWritePolicy());
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder().build());
        for (String bad : new String[] {"host", "host:", ":7000", "host:0", "host:70000", "host:x", "::1:7000"}) {
            assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder().seeds(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder().seeds("a:1").tendIntervalMs(0)
            .build());
        assertEquals(1, c.connectionsPerNode());
        assertEquals(64, ClientConfig.builder().seeds("a:1").connectionsPerNode(64).build().connectionsPerNode());
        for (int bad : new int[] {0, -1, 65}) {
            assertThrows(IllegalArgumentException.class, () -> ClientConfig.builder().seeds("a:1")
                .connectionsPerNode(bad).build(), String.valueOf(bad));
        }
    }

    @Test
    void exceptionCarriesCodeAndDoubt() {
        PartitaException e = new PartitaException(ResultCode.IN_DOUBT, "lost", true, null);
        assertEquals(ResultCode.IN_DOUBT, e.resultCode());
        assertTrue(e.inDoubt());
        assertEquals("lost", e.getMessage());
        assertEquals(false, new PartitaException(ResultCode.KEY_EXISTS, "x").inDoubt());
    }
}
