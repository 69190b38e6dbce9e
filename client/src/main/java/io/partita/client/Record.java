package io.partita.client;

import io.partita.protocol.BinValues;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record as read from the cluster: metadata and bins. Immutable: the constructor keeps a canonical copy of the
 * bins ({@link BinValues#canonicalize}), so {@link #bins()} and every list or map inside it are unmodifiable (byte
 * arrays are returned as stored, not copied).
 *
 * <p>Bin values are {@code Long}, {@code Double}, {@code String}, {@code byte[]}, {@code Boolean}, {@code List} or
 * {@code Map} (see {@link BinValues}); the typed getters return {@code null} when the bin is absent and throw
 * {@link ClassCastException} naming the bin when it holds another type.
 */
public final class Record {

    private final int generation;
    private final long voidTimeMs;
    private final long lastUpdateMs;
    private final Map<String, Object> bins;

    /**
     * A record.
     *
     * @param generation   the record's generation (incremented by every write)
     * @param voidTimeMs   expiry in milliseconds since the epoch; 0 = never expires
     * @param lastUpdateMs time of the last write, milliseconds since the epoch
     * @param bins         bin name to value, in the order to keep; copied in canonical form
     *                     ({@link BinValues#canonicalize}: Integer/Short/Byte become Long, Float becomes Double)
     * @throws IllegalArgumentException if a value is not a supported bin value (see {@link BinValues#canonicalize});
     *                                  the message names the bin
     */
    public Record(int generation, long voidTimeMs, long lastUpdateMs, Map<String, Object> bins) {
        this.generation = generation;
        this.voidTimeMs = voidTimeMs;
        this.lastUpdateMs = lastUpdateMs;
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : bins.entrySet()) {
            copy.put(e.getKey(), BinValues.canonicalize(e.getValue(), "bin '" + e.getKey() + "'"));
        }
        this.bins = Collections.unmodifiableMap(copy);
    }

    /** The generation: 1 after the first write, incremented by every write. */
    public int generation() {
        return generation;
    }

    /** Expiry in milliseconds since the Unix epoch; 0 = never expires. */
    public long voidTimeMs() {
        return voidTimeMs;
    }

    /** Time of the last write in milliseconds since the Unix epoch. */
    public long lastUpdateMs() {
        return lastUpdateMs;
    }

    /**
     * Seconds left to live at {@code nowMs}, rounded up: -1 if the record never expires, 0 if already past its
     * expiry.
     */
    public long ttlSeconds(long nowMs) {
        if (voidTimeMs == 0) {
            return -1;
        }
        long left = voidTimeMs - nowMs;
        return left <= 0 ? 0 : (left + 999) / 1000;
    }

    /** All bins, unmodifiable, in the order the node returned them. Empty for a header-only read. */
    public Map<String, Object> bins() {
        return bins;
    }

    /** The value of a bin, or {@code null} if the record has no such bin. */
    public Object getValue(String name) {
        return bins.get(name);
    }

    /** The bin as a {@code Long}; {@code null} if absent. */
    public Long getLong(String name) {
        return typed(name, Long.class);
    }

    /** The bin as a {@code Double}; {@code null} if absent. */
    public Double getDouble(String name) {
        return typed(name, Double.class);
    }

    /** The bin as a {@code String}; {@code null} if absent. */
    public String getString(String name) {
        return typed(name, String.class);
    }

    /** The bin as a {@code byte[]} (not copied); {@code null} if absent. */
    public byte[] getBytes(String name) {
        return typed(name, byte[].class);
    }

    /** The bin as a {@code Boolean}; {@code null} if absent. */
    public Boolean getBoolean(String name) {
        return typed(name, Boolean.class);
    }

    /** The bin as an unmodifiable {@code List}; {@code null} if absent. */
    @SuppressWarnings("unchecked")
    public List<Object> getList(String name) {
        return typed(name, List.class);
    }

    /** The bin as an unmodifiable {@code Map} in wire order; {@code null} if absent. */
    @SuppressWarnings("unchecked")
    public Map<Object, Object> getMap(String name) {
        return typed(name, Map.class);
    }

    private <T> T typed(String name, Class<T> type) {
        Object v = bins.get(name);
        if (v == null || type.isInstance(v)) {
            return type.cast(v);
        }
        throw new ClassCastException("bin '" + name + "' holds a " + v.getClass().getSimpleName() + ", not a "
            + type.getSimpleName());
    }

    @Override
    public String toString() {
        return "Record{gen=" + generation
            + ", voidTimeMs=" + voidTimeMs
            + ", lastUpdateMs=" + lastUpdateMs
            + ", bins=" + BinValues.binsToDisplayString(bins) + '}';
    }
}
