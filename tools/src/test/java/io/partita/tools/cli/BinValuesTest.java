package io.partita.tools.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinValuesTest {

    @Test
    void integersAreLongs() {
        assertEquals(42L, BinValues.parseValue("42"));
        assertEquals(-7L, BinValues.parseValue("-7"));
        assertEquals(Long.MAX_VALUE, BinValues.parseValue("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, BinValues.parseValue("-9223372036854775808"));
    }

    @Test
    void integersBeyond64BitsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BinValues.parseValue("9223372036854775808"));
        assertTrue(e.getMessage().contains("64-bit"), e.getMessage());
    }

    @Test
    void fractionsAndExponentsAreDoubles() {
        assertEquals(4.5, BinValues.parseValue("4.5"));
        assertEquals(1.0e3, BinValues.parseValue("1e3"));
        assertEquals(-0.25, BinValues.parseValue("-0.25"));
    }

    @Test
    void jsonStringsAreUnquoted() {
        assertEquals("x", BinValues.parseValue("\"x\""));
        assertEquals("42", BinValues.parseValue("\"42\""));
        assertEquals("a \"q\"", BinValues.parseValue("\"a \\\"q\\\"\""));
    }

    @Test
    void booleans() {
        assertEquals(Boolean.TRUE, BinValues.parseValue("true"));
        assertEquals(Boolean.FALSE, BinValues.parseValue("false"));
    }

    @Test
    void nullIsNull() {
        assertNull(BinValues.parseValue("null"));
    }

    @Test
    void arraysAreListsOfConvertedValues() {
        assertEquals(Arrays.asList("a", 1L, 2.5, true, null, List.of(3L)),
                BinValues.parseValue("[\"a\", 1, 2.5, true, null, [3]]"));
        assertEquals(List.of(), BinValues.parseValue("[]"));
    }

    @Test
    void objectsAreMapsWithStringKeysInOrder() {
        Object v = BinValues.parseValue("{\"b\": 1, \"a\": {\"x\": [\"y\"]}, \"n\": null}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", 1L);
        expected.put("a", Map.of("x", List.of("y")));
        expected.put("n", null);
        assertEquals(expected, v);
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(((Map<?, ?>) v).keySet()));
    }

    @Test
    void bytesObjectIsAByteArray() {
        assertArrayEquals(new byte[] {0, 1, 2}, (byte[]) BinValues.parseValue("{\"$bytes\": \"AAEC\"}"));
        assertThrows(IllegalArgumentException.class, () -> BinValues.parseValue("{\"$bytes\": \"!!\"}"));
        assertThrows(IllegalArgumentException.class, () -> BinValues.parseValue("{\"$bytes\": 5}"));
        // With another member it is an ordinary map.
        assertEquals(Map.of("$bytes", "AAEC", "x", 1L), BinValues.parseValue("{\"$bytes\": \"AAEC\", \"x\": 1}"));
    }

    @Test
    void invalidJsonIsAPlainString() {
        assertEquals("Alice", BinValues.parseValue("Alice"));
        assertEquals("hello world", BinValues.parseValue("hello world"));
        assertEquals("42abc", BinValues.parseValue("42abc"));
        assertEquals("1 2", BinValues.parseValue("1 2"));
        assertEquals("[1,", BinValues.parseValue("[1,"));
        assertEquals("{oops}", BinValues.parseValue("{oops}"));
        assertEquals("True", BinValues.parseValue("True"));
        assertEquals("", BinValues.parseValue(""));
        assertEquals("  ", BinValues.parseValue("  "));
    }

    @Test
    void parseBinsSplitsAtTheFirstEqualsSignAndKeepsOrder() {
        Map<String, Object> bins = BinValues.parseBins(List.of("name=Alice", "age=30", "eq=a=b", "gone=null",
                "empty="));
        assertEquals(List.of("name", "age", "eq", "gone", "empty"), new ArrayList<>(bins.keySet()));
        assertEquals("Alice", bins.get("name"));
        assertEquals(30L, bins.get("age"));
        assertEquals("a=b", bins.get("eq"));
        assertTrue(bins.containsKey("gone"));
        assertNull(bins.get("gone"));
        assertEquals("", bins.get("empty"));
    }

    @Test
    void parseBinsRejectsMalformedArguments() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BinValues.parseBins(List.of("novalue")))
                .getMessage().contains("bin=value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BinValues.parseBins(List.of("=1")))
                .getMessage().contains("empty bin name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BinValues.parseBins(List.of("a=1", "a=2")))
                .getMessage().contains("more than once"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BinValues.parseBins(List.of("big=99999999999999999999"))).getMessage().startsWith("bin 'big'"));
    }
}
