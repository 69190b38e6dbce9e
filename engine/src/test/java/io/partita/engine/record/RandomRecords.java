package io.partita.engine.record;

import io.partita.protocol.BinValues;
import io.partita.protocol.OrderedList;
import io.partita.protocol.ValueOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Seeded generator of records and bin values covering every type and the awkward corners of each, including ordered
 * lists and key-ordered maps (as TreeMaps sorted by ValueOrder, by its reverse, or naturally with String keys, whose
 * UTF-16 order differs from ValueOrder).
 */
final class RandomRecords {
    static final int MAX_DEPTH = 4;

    private static final long[] SPECIAL_LONGS = {0, 1, -1, 63, 64, -64, -65, 127, 128, 16383, 16384,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1};
    private static final double[] SPECIAL_DOUBLES = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 1.5, -2.25};
    private static final int[] SPECIAL_CODE_POINTS = {0x0, 0x7F, 0x80, 0x7FF, 0x800, 0xE9, 0x4E2D, 0xFFFD, 0xFFFF,
        0x10000, 0x1F600, 0x1F9D1, 0x10FFFF, '"', '\\', '\n'};

    private final Random random;

    RandomRecords(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    StoredRecord record() {
        return new StoredRecord(setName(), generation(), time(), time(), bins(false));
    }

    /** "" (no set), short ASCII, or multi-byte names up to the 63-byte limit (21 * 3 bytes). */
    String setName() {
        switch (random.nextInt(4)) {
            case 0: return "";
            case 1: return "中".repeat(1 + random.nextInt(21));
            default:
                StringBuilder sb = new StringBuilder();
                for (int i = 1 + random.nextInt(63); i > 0; i--) {
                    sb.append((char) ('a' + random.nextInt(26)));
                }
                return sb.toString();
        }
    }

    /** 0..20 bins; with {@code allowNull}, some values are null (write-command semantics). */
    Map<String, Object> bins(boolean allowNull) {
        int count = random.nextInt(21);
        Map<String, Object> bins = new LinkedHashMap<>();
        while (bins.size() < count) {
            Object value = allowNull && random.nextInt(6) == 0 ? null : value(0, false);
            if (value == null && !allowNull) {
                continue;
            }
            bins.put(binName(), value);
        }
        return bins;
    }

    int generation() {
        switch (random.nextInt(5)) {
            case 0: return 0;
            case 1: return 1 + random.nextInt(1000);
            case 2: return new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 65535, 65536}[random.nextInt(5)];
            default: return random.nextInt();
        }
    }

    long time() {
        switch (random.nextInt(6)) {
            case 0: return 0;
            case 1: return SPECIAL_LONGS[random.nextInt(SPECIAL_LONGS.length)];
            case 2: return random.nextLong();
            default: return 1_600_000_000_000L + (random.nextLong() & 0xFF_FFFF_FFFFL);
        }
    }

    String binName() {
        int kind = random.nextInt(10);
        if (kind == 0) {
            // up to the codec's 255-byte limit, in 3-byte characters: 85 * 3 = 255
            return "中".repeat(1 + random.nextInt(85));
        }
        if (kind == 1) {
            return string(1 + random.nextInt(6));
        }
        StringBuilder sb = new StringBuilder();
        int len = 1 + random.nextInt(15);
        for (int i = 0; i < len; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    /**
     * @param depth      containers enclosing this value
     * @param allowNull  whether the value itself may be null (list elements, map values)
     */
    Object value(int depth, boolean allowNull) {
        int kinds = depth < MAX_DEPTH ? 12 : 9;
        switch (random.nextInt(kinds)) {
            case 0: return allowNull ? null : Boolean.valueOf(random.nextBoolean());
            case 1: return random.nextBoolean();
            case 2: return longValue();
            case 3: return doubleValue();
            case 4: return string(smallLength());
            case 5: return bytes(smallLength());
            case 6: return random.nextBoolean() ? (Object) (int) longValue() : (Object) (float) doubleValue();
            case 7: return random.nextInt(3) == 0 ? "" : string(1 + random.nextInt(3));
            case 8: return random.nextInt(3) == 0 ? new byte[0] : longValue();
            case 9: case 10: return list(depth);
            default: return map(depth);
        }
    }

    /** A plain list, or sometimes an ordered one. */
    private List<Object> list(int depth) {
        boolean ordered = random.nextInt(4) == 0;
        int n = random.nextInt(4) == 0 ? 0 : random.nextInt(6);
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // small values in ordered lists, so that equal neighbours occur
            list.add(ordered && random.nextBoolean() ? (Object) (long) random.nextInt(3) : value(depth + 1, true));
        }
        return ordered ? new OrderedList(list) : list;
    }

    /** A plain map in insertion order, or sometimes a key-ordered one. */
    private Map<Object, Object> map(int depth) {
        int kind = random.nextInt(8);
        Map<Object, Object> map = switch (kind) {
            case 0 -> new TreeMap<>(ValueOrder.ORDER);
            case 1 -> new TreeMap<>(ValueOrder.ORDER.reversed());
            case 2 -> new TreeMap<>(); // String keys only
            default -> new LinkedHashMap<>();
        };
        int n = random.nextInt(4) == 0 ? 0 : random.nextInt(6);
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object key = kind == 2 ? string(smallLength()) : scalarKey();
            boolean duplicate = keys.stream().anyMatch(k -> BinValues.deepEquals(k, key));
            if (!duplicate) {
                keys.add(key);
                map.put(key, value(depth + 1, true));
            }
        }
        return map;
    }

    /** Whether the value holds an ordered list or key-ordered map anywhere (what selects record version 3). */
    static boolean holdsOrdered(Object value) {
        if (value instanceof OrderedList || value instanceof SortedMap) {
            return true;
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(RandomRecords::holdsOrdered);
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(RandomRecords::holdsOrdered);
        }
        return false;
    }

    private Object scalarKey() {
        switch (random.nextInt(5)) {
            case 0: return longValue();
            case 1: return doubleValue();
            case 2: return string(smallLength());
            case 3: return bytes(random.nextInt(4));
            default: return random.nextBoolean();
        }
    }

    long longValue() {
        switch (random.nextInt(4)) {
            case 0: return SPECIAL_LONGS[random.nextInt(SPECIAL_LONGS.length)];
            case 1: return random.nextLong();
            default: return random.nextLong() >> random.nextInt(64);
        }
    }

    double doubleValue() {
        switch (random.nextInt(4)) {
            case 0: return SPECIAL_DOUBLES[random.nextInt(SPECIAL_DOUBLES.length)];
            case 1: return Double.longBitsToDouble(random.nextLong()); // sometimes NaN with a payload
            default: return (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
        }
    }

    private int smallLength() {
        return random.nextInt(10) == 0 ? random.nextInt(300) : random.nextInt(12);
    }

    String string(int codePoints) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int cp;
            switch (random.nextInt(4)) {
                case 0: cp = SPECIAL_CODE_POINTS[random.nextInt(SPECIAL_CODE_POINTS.length)]; break;
                case 1: cp = 0x10000 + random.nextInt(0x100000); break; // supplementary: surrogate pair
                case 2: cp = random.nextInt(0xD800); break;
                default: cp = 0x20 + random.nextInt(0x5F); break;
            }
            sb.appendCodePoint(cp);
        }
        String s = sb.toString();
        return s;
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
