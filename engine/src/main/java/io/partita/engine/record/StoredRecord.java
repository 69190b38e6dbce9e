package io.partita.engine.record;

import io.partita.protocol.BinValues;
import io.partita.protocol.Limits;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A record as the engine stores it: set name, generation, expiry, last-update time and named bins.
 *
 * <p>The set name is stored so that backups can filter by set; it is not part of the storage key (the digest already
 * depends on it) and reads do not return it. Records last written in format version 1 have the set {@code ""}.
 *
 * <p>Immutable: the constructor deep-copies the bins into canonical form (see {@link BinValues#canonicalize}), so
 * later changes to the caller's map, lists or arrays do not show through, and {@link #bins()} and every list/map in
 * it are unmodifiable. {@code byte[]} values are handed out without copying for speed: callers must not modify them.
 *
 * <p>Equality is deep: byte arrays compare by content at any nesting level; the bin map compares like
 * {@link Map#equals} (insertion order is kept for iteration and encoding but does not affect equality).
 */
public final class StoredRecord {
    private final String set;
    private final int generation;
    private final long voidTimeMs;
    private final long lastUpdateMs;
    private final Map<String, Object> bins;

    /**
     * A record in no set ({@code ""}); see {@link #StoredRecord(String, int, long, long, Map)}.
     */
    public StoredRecord(int generation, long voidTimeMs, long lastUpdateMs, Map<String, ?> bins) {
        this("", generation, voidTimeMs, lastUpdateMs, bins);
    }

    /**
     * @param set          set name, {@code ""} for none; at most {@value Limits#MAX_SET_BYTES} bytes of UTF-8
     * @param generation   write counter; the encoding treats it as an unsigned 32-bit number
     * @param voidTimeMs   expiry in milliseconds since the Unix epoch, 0 = never expires
     * @param lastUpdateMs time of the last write in milliseconds since the Unix epoch
     * @param bins         bin name to value; values must be non-null supported values (see {@link BinValues})
     * @throws IllegalArgumentException if the set name is too long, a bin name is not
     *                                  1..{@value BinCodec#MAX_BIN_NAME_BYTES} bytes of UTF-8, a value is null or not
     *                                  a supported value; the message names the set or bin
     */
    public StoredRecord(String set, int generation, long voidTimeMs, long lastUpdateMs, Map<String, ?> bins) {
        Objects.requireNonNull(bins, "bins");
        BinCodec.setNameBytes(set);
        Map<String, Object> copy = new LinkedHashMap<>(BinValues.hashCapacity(bins.size()));
        for (Map.Entry<String, ?> e : bins.entrySet()) {
            String name = e.getKey();
            BinCodec.binNameBytes(name);
            Object value = e.getValue();
            if (value == null) {
                throw new IllegalArgumentException("Bin '" + name + "' has a null value; stored records never hold "
                        + "null bins (null means 'remove' only in write commands)");
            }
            copy.put(name, BinValues.canonicalize(value, "bin '" + name + "'"));
        }
        this.set = set;
        this.generation = generation;
        this.voidTimeMs = voidTimeMs;
        this.lastUpdateMs = lastUpdateMs;
        this.bins = Collections.unmodifiableMap(copy);
    }

    private StoredRecord(String set, int generation, long voidTimeMs, long lastUpdateMs,
                         Map<String, Object> canonicalBins, boolean trusted) {
        this.set = set;
        this.generation = generation;
        this.voidTimeMs = voidTimeMs;
        this.lastUpdateMs = lastUpdateMs;
        this.bins = Collections.unmodifiableMap(canonicalBins);
    }

    /**
     * For the decoder: the bins are freshly decoded, canonical, non-null, with unmodifiable lists/maps, and owned by
     * the new record, so they need no copy.
     */
    static StoredRecord ofDecoded(String set, int generation, long voidTimeMs, long lastUpdateMs,
                                  Map<String, Object> decodedBins) {
        return new StoredRecord(set, generation, voidTimeMs, lastUpdateMs, decodedBins, true);
    }

    /** The same record in set {@code newSet} (bins shared: they are immutable). */
    public StoredRecord withSet(String newSet) {
        BinCodec.setNameBytes(newSet);
        return new StoredRecord(newSet, generation, voidTimeMs, lastUpdateMs, bins, true);
    }

    /** The set name; {@code ""} for no set, and for records last written in format version 1. */
    public String set() {
        return set;
    }

    public int generation() {
        return generation;
    }

    /** Expiry in milliseconds since the Unix epoch; 0 = never expires. */
    public long voidTimeMs() {
        return voidTimeMs;
    }

    public long lastUpdateMs() {
        return lastUpdateMs;
    }

    /** Unmodifiable bins in insertion order; never contains null values. */
    public Map<String, Object> bins() {
        return bins;
    }

    /** The value of one bin, or null if the record has no such bin. */
    public Object bin(String name) {
        return bins.get(name);
    }

    /** True if the record has an expiry and it is at or before {@code nowMs}. */
    public boolean isExpired(long nowMs) {
        return voidTimeMs != 0 && voidTimeMs <= nowMs;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StoredRecord)) {
            return false;
        }
        StoredRecord other = (StoredRecord) o;
        return generation == other.generation
                && set.equals(other.set)
                && voidTimeMs == other.voidTimeMs
                && lastUpdateMs == other.lastUpdateMs
                && BinValues.deepEquals(bins, other.bins);
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(generation);
        h = 31 * h + set.hashCode();
        h = 31 * h + Long.hashCode(voidTimeMs);
        h = 31 * h + Long.hashCode(lastUpdateMs);
        return 31 * h + BinValues.deepHashCode(bins);
    }

    @Override
    public String toString() {
        return "StoredRecord{set='" + set + "', generation=" + Integer.toUnsignedString(generation)
                + ", voidTimeMs=" + voidTimeMs
                + ", lastUpdateMs=" + lastUpdateMs
                + ", bins=" + BinValues.binsToDisplayString(bins) + '}';
    }
}
