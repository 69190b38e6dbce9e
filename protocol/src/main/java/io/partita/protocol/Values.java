package io.partita.protocol;

import com.google.protobuf.ByteString;
import io.partita.protocol.v1.Bin;
import io.partita.protocol.v1.ListValue;
import io.partita.protocol.v1.MapEntry;
import io.partita.protocol.v1.MapValue;
import io.partita.protocol.v1.Value;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Conversion between plain Java values and the wire {@link Value}.
 *
 * <p>Java side: {@code null}, {@code Long}, {@code Double}, {@code String}, {@code byte[]}, {@code Boolean},
 * {@code List<?>} and {@code Map<?, ?>}, nested freely up to {@link Limits#MAX_VALUE_DEPTH}. On the way in
 * {@code Integer}/{@code Short}/{@code Byte} become longs and {@code Float} becomes a double. Map keys must be
 * non-null scalars (integer, floating point, string, bytes or boolean). On the way out integers are {@code Long},
 * lists are {@code ArrayList}, maps are {@code LinkedHashMap} in wire order, and a Value with nothing set is
 * {@code null}. Note that {@code byte[]} map keys compare by identity in a Java map. The order attributes travel both
 * ways: an {@link OrderedList} is an ordered ListValue, any {@link SortedMap} a key-ordered MapValue, which comes back
 * as a {@link TreeMap} ordered by {@link ValueOrder} (where byte[] keys compare by content).
 */
public final class Values {

    private static final String SUPPORTED =
        "supported: null, Long, Integer, Short, Byte, Double, Float, String, byte[], Boolean, List, Map";

    private Values() {
    }

    /**
     * Wire form of a Java value.
     *
     * @throws IllegalArgumentException for an unsupported type (the message names it), a null or non-scalar map
     *                                  key, two map keys equal after normalisation, or nesting deeper than
     *                                  {@link Limits#MAX_VALUE_DEPTH}
     */
    public static Value toProto(Object value) {
        return toProto(value, 0);
    }

    /**
     * Java form of a wire value: {@code Long}, {@code Double}, {@code String}, {@code byte[]}, {@code Boolean},
     * {@code ArrayList}, {@code LinkedHashMap} or {@code null} when no kind is set.
     *
     * @throws IllegalArgumentException if a map key is not a scalar
     */
    public static Object fromProto(Value value) {
        switch (value.getKindCase()) {
            case LONG_VALUE:
                return value.getLongValue();
            case DOUBLE_VALUE:
                return value.getDoubleValue();
            case STRING_VALUE:
                return value.getStringValue();
            case BYTES_VALUE:
                return value.getBytesValue().toByteArray();
            case BOOL_VALUE:
                return value.getBoolValue();
            case LIST_VALUE: {
                List<Value> items = value.getListValue().getItemsList();
                List<Object> out = new ArrayList<>(items.size());
                for (Value item : items) {
                    out.add(fromProto(item));
                }
                return value.getListValue().getOrdered() ? new OrderedList(out) : out;
            }
            case MAP_VALUE: {
                List<MapEntry> entries = value.getMapValue().getEntriesList();
                boolean keyOrdered = value.getMapValue().getKeyOrdered();
                Map<Object, Object> out = keyOrdered ? new TreeMap<>(ValueOrder.ORDER)
                    : new LinkedHashMap<>(Math.max(16, entries.size() * 2));
                for (MapEntry e : entries) {
                    Value.KindCase kc = e.getKey().getKindCase();
                    if (kc == Value.KindCase.KIND_NOT_SET || kc == Value.KindCase.LIST_VALUE
                        || kc == Value.KindCase.MAP_VALUE) {
                        throw new IllegalArgumentException("map key must be a scalar, got " + kc);
                    }
                    Object key = fromProto(e.getKey());
                    if (out.put(key, fromProto(e.getValue())) != null && keyOrdered) {
                        throw new IllegalArgumentException("duplicate key " + BinValues.toDisplayString(key)
                            + " in a key-ordered map");
                    }
                }
                return out;
            }
            default:
                return null;
        }
    }

    /**
     * Wire bins from a name-to-value map, in the map's iteration order. A {@code null} value becomes an unset
     * Value (in a write it removes the bin). Bin-name length is not checked here: the node answers
     * {@link ResultCode#BIN_NAME_TOO_LONG}.
     *
     * @throws IllegalArgumentException for a null bin name or an unsupported value (the message names the bin)
     */
    public static List<Bin> toProtoBins(Map<String, Object> bins) {
        List<Bin> out = new ArrayList<>(bins.size());
        for (Map.Entry<String, Object> e : bins.entrySet()) {
            String name = e.getKey();
            if (name == null) {
                throw new IllegalArgumentException("bin name must not be null");
            }
            Value v;
            try {
                v = toProto(e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("bin '" + name + "': " + ex.getMessage(), ex);
            }
            out.add(Bin.newBuilder().setName(name).setValue(v).build());
        }
        return out;
    }

    /** Java bins from wire bins, as a {@code LinkedHashMap} in wire order (a repeated name keeps the last value). */
    public static Map<String, Object> fromProtoBins(List<Bin> bins) {
        Map<String, Object> out = new LinkedHashMap<>(Math.max(16, bins.size() * 2));
        for (Bin b : bins) {
            out.put(b.getName(), fromProto(b.getValue()));
        }
        return out;
    }

    private static Value toProto(Object value, int depth) {
        if (value == null) {
            return Value.getDefaultInstance();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Value.newBuilder().setLongValue(((Number) value).longValue()).build();
        }
        if (value instanceof Double || value instanceof Float) {
            return Value.newBuilder().setDoubleValue(((Number) value).doubleValue()).build();
        }
        if (value instanceof String) {
            return Value.newBuilder().setStringValue((String) value).build();
        }
        if (value instanceof byte[]) {
            return Value.newBuilder().setBytesValue(ByteString.copyFrom((byte[]) value)).build();
        }
        if (value instanceof Boolean) {
            return Value.newBuilder().setBoolValue((Boolean) value).build();
        }
        if (value instanceof List || value instanceof Map) {
            if (depth >= Limits.MAX_VALUE_DEPTH) {
                throw new IllegalArgumentException("lists/maps nested deeper than " + Limits.MAX_VALUE_DEPTH
                    + " levels (or a collection that contains itself)");
            }
            if (value instanceof List) {
                ListValue.Builder lb = ListValue.newBuilder().setOrdered(value instanceof OrderedList);
                for (Object item : (List<?>) value) {
                    lb.addItems(toProto(item, depth + 1));
                }
                return Value.newBuilder().setListValue(lb).build();
            }
            MapValue.Builder mb = MapValue.newBuilder().setKeyOrdered(value instanceof SortedMap);
            Set<Object> seen = new HashSet<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                Object k = e.getKey();
                if (k == null) {
                    throw new IllegalArgumentException("map keys must not be null");
                }
                if (k instanceof List || k instanceof Map) {
                    throw new IllegalArgumentException("map keys must be scalars, got " + k.getClass().getName());
                }
                Value key = toProto(k, depth + 1);
                if (!seen.add(identity(key))) {
                    throw new IllegalArgumentException("two map keys are equal after normalisation to long/double: "
                        + k);
                }
                mb.addEntries(MapEntry.newBuilder().setKey(key).setValue(toProto(e.getValue(), depth + 1)));
            }
            return Value.newBuilder().setMapValue(mb).build();
        }
        throw new IllegalArgumentException("unsupported value type " + value.getClass().getName() + "; " + SUPPORTED);
    }

    /** An object with value equality for a scalar wire key. */
    private static Object identity(Value key) {
        switch (key.getKindCase()) {
            case LONG_VALUE:
                return key.getLongValue();
            case DOUBLE_VALUE:
                return key.getDoubleValue();
            case STRING_VALUE:
                return key.getStringValue();
            case BOOL_VALUE:
                return key.getBoolValue();
            default:
                return ByteBuffer.wrap(key.getBytesValue().toByteArray());
        }
    }
}
