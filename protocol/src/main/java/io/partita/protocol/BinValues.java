package io.partita.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Plain bin values, the Java objects held in bins on both sides of the wire: the one implementation of their
 * equality, hashing, display and canonical immutable form, shared by the client's {@code Record} and the engine's
 * stored records and codec.
 *
 * <p><b>Supported values.</b> Canonical types are {@link Long}, {@link Double}, {@link String}, {@code byte[]},
 * {@link Boolean}, {@link List} (elements of any supported type, {@code null} allowed) and {@link Map} (keys non-null
 * scalars: Long, Double, String, byte[], Boolean; values any supported type including {@code null}). Integer, Short
 * and Byte are accepted as aliases of Long, Float as an alias of Double; {@link #canonicalize} converts them. Two
 * containers carry an order attribute (Aerospike's ordered list and key-ordered map): an {@link OrderedList}, and any
 * {@link SortedMap}, whose entries are kept in {@link ValueOrder} of their keys. The attribute does not take part in
 * equality.
 *
 * <p><b>Equality.</b> {@link #deepEquals} and {@link #deepHashCode} compare by content all the way down: byte arrays
 * by their bytes, lists element by element in order, maps as {@link Map#equals} does (same key/value pairs, order
 * ignored). Integral numbers compare by {@code long} value regardless of boxed type, floating numbers by
 * {@link Double#doubleToLongBits} (so NaN equals NaN and {@code -0.0} differs from {@code 0.0}, as
 * {@link Double#equals} does); a Long never equals a Double. Values must be acyclic, and a map must not hold two keys
 * that are deep-equal to each other (canonical values never do).
 *
 * <p><b>Encoder helpers.</b> The methods documented "for encoders" ({@link #isIntegral}, {@link #isFloating},
 * {@link #checkWellFormed}, {@link #checkDepth}, {@link #checkMapKey}, {@link #addDistinctKey},
 * {@link #unsupportedType}, {@link DeepKey}) are public only so that the engine's binary codec, which validates while
 * it writes instead of canonicalising first, applies exactly the rules {@link #canonicalize} applies. Their messages
 * end with {@code " in " + where}.
 */
public final class BinValues {
    private static final int DISPLAY_MAX_STRING_CHARS = 200;
    private static final int DISPLAY_MAX_BYTES = 64;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private BinValues() {
    }

    /** Deep, content-based equality of two bin values; see the class comment. */
    public static boolean deepEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (isIntegral(a)) {
            return isIntegral(b) && ((Number) a).longValue() == ((Number) b).longValue();
        }
        if (isFloating(a)) {
            return isFloating(b) && Double.doubleToLongBits(((Number) a).doubleValue())
                    == Double.doubleToLongBits(((Number) b).doubleValue());
        }
        if (a instanceof byte[]) {
            return b instanceof byte[] && Arrays.equals((byte[]) a, (byte[]) b);
        }
        if (a instanceof List) {
            return b instanceof List && listsEqual((List<?>) a, (List<?>) b);
        }
        if (a instanceof Map) {
            return b instanceof Map && mapsEqual((Map<?, ?>) a, (Map<?, ?>) b);
        }
        return a.equals(b);
    }

    /** Hash code consistent with {@link #deepEquals}; for canonical values it equals the JDK's own hash codes. */
    public static int deepHashCode(Object value) {
        if (value == null) {
            return 0;
        }
        if (isIntegral(value)) {
            return Long.hashCode(((Number) value).longValue());
        }
        if (isFloating(value)) {
            return Double.hashCode(((Number) value).doubleValue());
        }
        if (value instanceof byte[]) {
            return Arrays.hashCode((byte[]) value);
        }
        if (value instanceof List) {
            int h = 1;
            for (Object e : (List<?>) value) {
                h = 31 * h + deepHashCode(e);
            }
            return h;
        }
        if (value instanceof Map) {
            int h = 0;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                h += deepHashCode(e.getKey()) ^ deepHashCode(e.getValue());
            }
            return h;
        }
        return value.hashCode();
    }

    /**
     * Renders a bin map as {@code {name=value, ...}} in iteration order: names as they are, values as
     * {@link #toDisplayString(Object)} renders them. Used by the {@code toString} of records.
     */
    public static String binsToDisplayString(Map<String, ?> bins) {
        StringBuilder sb = new StringBuilder().append('{');
        String sep = "";
        for (Map.Entry<String, ?> e : bins.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=');
            appendDisplay(sb, e.getValue(), 0);
            sep = ", ";
        }
        return sb.append('}').toString();
    }

    /**
     * Human-readable rendering for logs and test messages: strings quoted, byte arrays as hex, lists as
     * {@code [a, b]}, maps as {@code {k=v}}. Long strings and byte arrays are shortened, and very deep structures are
     * cut off, so the result stays bounded for log lines.
     */
    public static String toDisplayString(Object value) {
        StringBuilder sb = new StringBuilder();
        appendDisplay(sb, value, 0);
        return sb.toString();
    }

    /**
     * Returns an immutable canonical copy of a bin value: Integer/Short/Byte become Long, Float becomes Double,
     * byte arrays are copied, lists and maps are copied into unmodifiable {@link ArrayList}/{@link LinkedHashMap}
     * views (map order kept). An {@link OrderedList} stays one; a {@link SortedMap} (Aerospike's key-ordered map)
     * becomes an unmodifiable {@link TreeMap} ordered by {@link ValueOrder}, whatever its own comparator was.
     * {@code null} is returned as {@code null}.
     *
     * @throws IllegalArgumentException if the value (or anything inside it) has an unsupported type, a string is not
     *                                  well-formed UTF-16 (lone surrogate), a map key is null or not a scalar, two
     *                                  map keys are equal after conversion, or containers nest deeper than
     *                                  {@link Limits#MAX_VALUE_DEPTH}
     */
    public static Object canonicalize(Object value) {
        return canonicalize(value, "value");
    }

    /**
     * {@link #canonicalize(Object)} with the place of the value for error messages, e.g. {@code "bin 'x'"}.
     *
     * @throws IllegalArgumentException as {@link #canonicalize(Object)}; the message ends with {@code " in " + where}
     */
    public static Object canonicalize(Object value, String where) {
        return canonicalize(value, 0, where);
    }

    private static Object canonicalize(Object value, int depth, String where) {
        if (value == null || value instanceof Long || value instanceof Boolean) {
            return value;
        }
        if (isIntegral(value)) {
            return ((Number) value).longValue();
        }
        if (isFloating(value)) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof String) {
            checkWellFormed((String) value, where);
            return value;
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).clone();
        }
        if (value instanceof OrderedList ordered) {
            checkDepth(depth, where);
            Object[] out = new Object[ordered.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = canonicalize(ordered.get(i), depth + 1, where);
            }
            return OrderedList.ofSorted(out); // conversions (Integer -> Long) keep ValueOrder
        }
        if (value instanceof List) {
            checkDepth(depth, where);
            List<?> list = (List<?>) value;
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(canonicalize(e, depth + 1, where));
            }
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Map) {
            checkDepth(depth, where);
            Map<?, ?> map = (Map<?, ?>) value;
            boolean keyOrdered = map instanceof SortedMap;
            Map<Object, Object> out = keyOrdered ? new TreeMap<>(ValueOrder.ORDER)
                    : new LinkedHashMap<>(hashCapacity(map.size()));
            Set<DeepKey> seen = new HashSet<>(hashCapacity(map.size()));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object key = e.getKey();
                checkMapKey(key, where);
                Object canonicalKey = canonicalize(key, depth + 1, where);
                addDistinctKey(seen, canonicalKey, key, where);
                out.put(canonicalKey, canonicalize(e.getValue(), depth + 1, where));
            }
            return keyOrdered ? Collections.unmodifiableSortedMap((SortedMap<Object, Object>) out)
                    : Collections.unmodifiableMap(out);
        }
        throw unsupportedType(value, where);
    }

    // ---- shared validation, used by canonicalize and (public for) the engine's encoder ----

    /** For encoders: true for Long and its aliases Integer, Short and Byte. */
    public static boolean isIntegral(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
    }

    /** For encoders: true for Double and its alias Float. */
    public static boolean isFloating(Object v) {
        return v instanceof Double || v instanceof Float;
    }

    /** True for the types allowed as map keys (before canonicalisation). */
    private static boolean isScalarKey(Object v) {
        return isIntegral(v) || isFloating(v) || v instanceof String || v instanceof byte[] || v instanceof Boolean;
    }

    /**
     * For encoders: rejects a map key that is null or not a scalar.
     *
     * @throws IllegalArgumentException naming {@code where}
     */
    public static void checkMapKey(Object key, String where) {
        if (key == null) {
            throw new IllegalArgumentException("Null map key in " + where);
        }
        if (!isScalarKey(key)) {
            throw new IllegalArgumentException("Unsupported map key type " + key.getClass().getName() + " in "
                    + where + ": map keys must be Long, Double, String, byte[] or Boolean");
        }
    }

    /**
     * For encoders: call before writing a list or map that has {@code enclosingContainers} lists/maps around it (0
     * for a value directly in a bin), so that at most {@link Limits#MAX_VALUE_DEPTH} levels are accepted.
     *
     * @throws IllegalArgumentException naming {@code where} if the container would be one level too deep
     */
    public static void checkDepth(int enclosingContainers, String where) {
        if (enclosingContainers >= Limits.MAX_VALUE_DEPTH) {
            throw new IllegalArgumentException("Lists/maps nested deeper than " + Limits.MAX_VALUE_DEPTH
                    + " levels in " + where);
        }
    }

    /**
     * The value's type as messages name it: "an integer", "a double", "a string", "bytes", "a boolean", "a list",
     * "a map", "null", or the Java class of anything else.
     */
    public static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (isIntegral(value)) {
            return "an integer";
        }
        if (isFloating(value)) {
            return "a double";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a map";
        }
        return value.getClass().getName();
    }

    /**
     * For encoders: the exception for a value of an unsupported type.
     *
     * @return an IllegalArgumentException naming the type and {@code where}, for the caller to throw
     */
    public static IllegalArgumentException unsupportedType(Object value, String where) {
        return new IllegalArgumentException("Unsupported bin value type " + value.getClass().getName() + " in "
                + where + " (supported: Long, Integer, Short, Byte, Double, Float, String, byte[], Boolean, List, Map)");
    }

    /**
     * For encoders: records the key of one map entry in {@code seen}, the keys of the same map so far.
     *
     * @throws IllegalArgumentException naming the key and {@code where} if a deep-equal key was already seen
     */
    public static void addDistinctKey(Set<DeepKey> seen, Object key, String where) {
        addDistinctKey(seen, key, key, where);
    }

    /** @param shown the key as the caller gave it, for the message */
    private static void addDistinctKey(Set<DeepKey> seen, Object key, Object shown, String where) {
        if (!seen.add(new DeepKey(key))) {
            throw new IllegalArgumentException("Duplicate map key " + toDisplayString(shown) + " in " + where
                    + " (keys must be distinct after Integer->Long / Float->Double conversion and byte[] by content)");
        }
    }

    /**
     * For encoders and {@link #canonicalize}: rejects strings that UTF-8 cannot represent exactly, i.e. with an
     * unpaired surrogate.
     *
     * @throws IllegalArgumentException naming the offending char, its index and {@code where}
     */
    public static void checkWellFormed(String s, String where) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException("String with an unpaired surrogate (U+"
                            + Integer.toHexString(c).toUpperCase() + " at index " + i + ") in " + where
                            + " cannot be encoded as UTF-8");
                }
            }
        }
    }

    /**
     * Initial capacity for a hash map or set that will hold {@code entries} entries without rehashing (capped, so a
     * hostile count cannot make it allocate much).
     */
    public static int hashCapacity(int entries) {
        return (int) Math.min((long) entries * 4 / 3 + 1, 1 << 20);
    }

    // ---- internals ----

    private static boolean listsEqual(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Iterator<?> ia = a.iterator();
        Iterator<?> ib = b.iterator();
        while (ia.hasNext() && ib.hasNext()) {
            if (!deepEquals(ia.next(), ib.next())) {
                return false;
            }
        }
        return ia.hasNext() == ib.hasNext();
    }

    private static boolean mapsEqual(Map<?, ?> a, Map<?, ?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        if (a.isEmpty()) {
            return true;
        }
        Map<DeepKey, Object> ia = index(a);
        Map<DeepKey, Object> ib = index(b);
        if (ia.size() != ib.size()) {
            return false;
        }
        for (Map.Entry<DeepKey, Object> e : ia.entrySet()) {
            if (!ib.containsKey(e.getKey()) || !deepEquals(e.getValue(), ib.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Map<DeepKey, Object> index(Map<?, ?> map) {
        Map<DeepKey, Object> out = new HashMap<>(hashCapacity(map.size()));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.put(new DeepKey(e.getKey()), e.getValue());
        }
        return out;
    }

    private static void appendDisplay(StringBuilder sb, Object v, int depth) {
        if (depth > Limits.MAX_VALUE_DEPTH) {
            sb.append('…');
        } else if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            appendQuoted(sb, (String) v);
        } else if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            sb.append("bytes[").append(b.length).append("]{");
            int shown = Math.min(b.length, DISPLAY_MAX_BYTES);
            for (int i = 0; i < shown; i++) {
                sb.append(HEX[(b[i] >> 4) & 0xF]).append(HEX[b[i] & 0xF]);
            }
            if (shown < b.length) {
                sb.append('…');
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object e : (List<?>) v) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                appendDisplay(sb, e, depth + 1);
            }
            sb.append(']');
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                appendDisplay(sb, e.getKey(), depth + 1);
                sb.append('=');
                appendDisplay(sb, e.getValue(), depth + 1);
            }
            sb.append('}');
        } else {
            sb.append(v);
        }
    }

    private static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        int shown = Math.min(s.length(), DISPLAY_MAX_STRING_CHARS);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        if (shown < s.length()) {
            sb.append("…(").append(s.length()).append(" chars)");
        }
    }

    /**
     * For encoders and decoders: wraps a bin value so it can be used as a hash key with {@link #deepEquals} semantics
     * (e.g. to find duplicate {@code byte[]} map keys).
     */
    public static final class DeepKey {
        private final Object value;
        private final int hash;

        /** Wraps {@code value}, which must not change while the key is in use. */
        public DeepKey(Object value) {
            this.value = value;
            this.hash = deepHashCode(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DeepKey && deepEquals(value, ((DeepKey) o).value);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
