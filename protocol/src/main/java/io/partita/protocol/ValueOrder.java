package io.partita.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Aerospike's ordering of collection (CDT) values: ranks, sorting and value intervals of list and map operations,
 * the element order of an {@link OrderedList} and the key order of a key-ordered map. See "Order and compare collection elements",
 * https://aerospike.com/docs/develop/data-types/collections/ordering/, and the server's {@code msgpack_cmp_internal()}
 * in {@code cf/src/msgpack_in.c}.
 *
 * <p><b>Across types</b> values order by type: {@code null} (NIL) &lt; Boolean &lt; integer (Long) &lt; String &lt;
 * List &lt; Map &lt; byte[] (BYTES) &lt; Double. So an integer is always smaller than any double: {@code 100 < 1.5}.
 * (Aerospike's GEOJSON, after DOUBLE, has no Partita type.)
 *
 * <p><b>Within a type</b>:
 * <ul>
 *   <li>Boolean: {@code false < true}.</li>
 *   <li>Integers (Long and its aliases Integer, Short, Byte): numerically.</li>
 *   <li>Strings: by their UTF-8 bytes, unsigned, lexicographically; a proper prefix comes first ({@code "aa" < "b"},
 *       {@code "a" < "aa"}). Computed by code points, which orders the same as UTF-8 bytes.</li>
 *   <li>byte[]: by unsigned bytes, lexicographically; a proper prefix comes first.</li>
 *   <li>Lists: element by element from index 0; when one list is a prefix of the other the shorter comes first
 *       ({@code [1, 2] < [1, 3]}, {@code [1, 2] < [1, 2, 1]}).</li>
 *   <li>Maps: first by size (fewer entries first), then entry by entry in key order (each key, then its value, as the
 *       server compares the stored key1, value1, key2, value2 ... sequence). Aerospike walks the entries in stored order,
 *       which is key order for its K-ordered maps; Partita's maps are equal regardless of insertion order
 *       ({@link BinValues#deepEquals}) and of their order attribute, so they are always compared in key order, as a
 *       K-ordered map is.</li>
 *   <li>Doubles (and Float): as {@link Double#compare}. Unlike the server (C comparisons, under which NaN equals
 *       everything and {@code -0.0 == 0.0}), this is a total order: {@code -0.0 < 0.0} and NaN is above every other
 *       double. That keeps {@code compare(a, b) == 0} exactly when {@link BinValues#deepEquals} holds.</li>
 * </ul>
 *
 * <p>For the supported bin values, {@code compare(a, b) == 0} if and only if {@code BinValues.deepEquals(a, b)}, so
 * a {@code TreeSet}/{@code TreeMap} with {@link #ORDER} finds elements by content.
 */
public final class ValueOrder {
    /** The ordering as a comparator; null is allowed (it is the smallest value). */
    public static final Comparator<Object> ORDER = ValueOrder::compare;

    // Type ranks, in Aerospike's order.
    private static final int NIL = 0;
    private static final int BOOLEAN = 1;
    private static final int INTEGER = 2;
    private static final int STRING = 3;
    private static final int LIST = 4;
    private static final int MAP = 5;
    private static final int BYTES = 6;
    private static final int DOUBLE = 7;

    private static final Comparator<Map.Entry<?, ?>> BY_KEY = (x, y) -> compare(x.getKey(), y.getKey());

    private ValueOrder() {
    }

    /**
     * Compares two bin values in Aerospike's collection order.
     *
     * @return negative, zero or positive as {@code a} is smaller than, equal to or greater than {@code b}
     * @throws IllegalArgumentException if a value (or anything inside it) is not a supported bin value type
     */
    public static int compare(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        int ta = typeRank(a);
        int tb = typeRank(b);
        if (ta != tb) {
            return Integer.compare(ta, tb);
        }
        switch (ta) {
            case NIL:
                return 0;
            case BOOLEAN:
                return Boolean.compare((Boolean) a, (Boolean) b);
            case INTEGER:
                return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
            case STRING:
                return compareStrings((String) a, (String) b);
            case LIST:
                return compareLists((List<?>) a, (List<?>) b);
            case MAP:
                return compareMaps((Map<?, ?>) a, (Map<?, ?>) b);
            case BYTES:
                return Arrays.compareUnsigned((byte[]) a, (byte[]) b);
            default:
                return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        }
    }

    private static int typeRank(Object v) {
        if (v == null) {
            return NIL;
        }
        if (v instanceof Boolean) {
            return BOOLEAN;
        }
        if (BinValues.isIntegral(v)) {
            return INTEGER;
        }
        if (v instanceof String) {
            return STRING;
        }
        if (v instanceof List) {
            return LIST;
        }
        if (v instanceof Map) {
            return MAP;
        }
        if (v instanceof byte[]) {
            return BYTES;
        }
        if (BinValues.isFloating(v)) {
            return DOUBLE;
        }
        throw BinValues.unsupportedType(v, "a compared value");
    }

    /** Code point order equals UTF-8 byte order (UTF-16 code unit order, String.compareTo, does not). */
    private static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static int compareLists(List<?> a, List<?> b) {
        Iterator<?> ia = a.iterator();
        Iterator<?> ib = b.iterator();
        while (ia.hasNext() && ib.hasNext()) {
            int c = compare(ia.next(), ib.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }

    private static int compareMaps(Map<?, ?> a, Map<?, ?> b) {
        if (a.size() != b.size()) {
            return Integer.compare(a.size(), b.size());
        }
        List<Map.Entry<?, ?>> ea = sortedEntries(a);
        List<Map.Entry<?, ?>> eb = sortedEntries(b);
        for (int i = 0; i < ea.size(); i++) {
            int c = compare(ea.get(i).getKey(), eb.get(i).getKey());
            if (c == 0) {
                c = compare(ea.get(i).getValue(), eb.get(i).getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<Map.Entry<?, ?>> sortedEntries(Map<?, ?> map) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        entries.sort(BY_KEY);
        return entries;
    }
}
