package io.partita.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partita.client.Record;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = 1_800_000_000_000L;

    private static Record sample(long voidTimeMs) {
        Map<String, Object> bins = new LinkedHashMap<>();
        bins.put("s", "Alice");
        bins.put("l", 30L);
        bins.put("d", 4.5);
        bins.put("t", true);
        bins.put("b", new byte[] {0, 1, 2});
        bins.put("list", Arrays.asList(1L, "x", new byte[] {(byte) 0xff}));
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("k", 1L);
        map.put(7L, "seven");
        bins.put("map", map);
        bins.put("nan", Double.NaN);
        return new Record(3, voidTimeMs, NOW - 1500, bins);
    }

    @Test
    void rendersEveryField() throws Exception {
        JsonNode n = JSON.readTree(RecordJson.pretty(RecordJson.record("test", "demo", "alice", sample(0), false,
                NOW)));
        assertEquals(List.of("namespace", "set", "key", "generation", "ttl", "last_update", "bins"),
                iteratorToList(n.fieldNames()));
        assertEquals("test", n.get("namespace").asText());
        assertEquals("demo", n.get("set").asText());
        assertEquals("alice", n.get("key").asText());
        assertEquals(3, n.get("generation").asInt());
        assertEquals(-1, n.get("ttl").asLong());
        assertEquals("2027-01-15T07:59:58.500Z", n.get("last_update").asText());
        JsonNode bins = n.get("bins");
        assertEquals("Alice", bins.get("s").textValue());
        assertTrue(bins.get("l").isIntegralNumber());
        assertEquals(30L, bins.get("l").longValue());
        assertTrue(bins.get("d").isFloatingPointNumber());
        assertEquals(4.5, bins.get("d").doubleValue());
        assertTrue(bins.get("t").booleanValue());
        assertEquals("AAEC", bins.get("b").get("$bytes").textValue());
        assertEquals(3, bins.get("list").size());
        assertEquals("/w==", bins.get("list").get(2).get("$bytes").textValue());
        assertEquals(1L, bins.get("map").get("k").longValue());
        assertEquals("seven", bins.get("map").get("7").textValue());
        assertEquals("NaN", bins.get("nan").textValue());
    }

    @Test
    void ttlIsSecondsLeft() throws Exception {
        JsonNode n = JSON.readTree(RecordJson.pretty(RecordJson.record("test", "demo", "k", sample(NOW + 99_500),
                false, NOW)));
        assertEquals(100, n.get("ttl").asLong());
    }

    @Test
    void headerOnlyHasNoBins() throws Exception {
        JsonNode n = JSON.readTree(RecordJson.pretty(RecordJson.record("test", "", 42L, sample(0), true, NOW)));
        assertFalse(n.has("bins"));
        assertEquals("", n.get("set").asText());
        assertTrue(n.get("key").isIntegralNumber());
        assertEquals(42L, n.get("key").longValue());
    }

    @Test
    void bytesKeyRendersAsBytesObject() throws Exception {
        JsonNode n = JSON.readTree(RecordJson.pretty(RecordJson.record("test", "s", new byte[] {10, 11}, sample(0),
                true, NOW)));
        assertEquals("Cgs=", n.get("key").get("$bytes").textValue());
    }

    @Test
    void prettyIsMultiLineWithColonSpace() {
        String s = RecordJson.pretty(RecordJson.record("test", "demo", "alice", sample(0), false, NOW));
        assertTrue(s.startsWith("{\n  \"namespace\": \"test\",\n"), s);
        assertFalse(s.endsWith("\n"));
    }

    @Test
    void oneLineFormat() {
        assertEquals("{\"generation\": 2}", RecordJson.oneLine(RecordJson.field("generation", 2)));
        assertEquals("{\"exists\": false}", RecordJson.oneLine(RecordJson.field("exists", false)));
    }

    @Test
    void bytesOutputParsesBackToTheSameBytes() {
        String json = RecordJson.oneLine(RecordJson.value(new byte[] {5, 6, 7}));
        assertTrue(Arrays.equals(new byte[] {5, 6, 7}, (byte[]) BinValues.parseValue(json)), json);
    }

    private static List<String> iteratorToList(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }
}
