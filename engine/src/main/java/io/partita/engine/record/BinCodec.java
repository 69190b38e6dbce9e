package io.partita.engine.record;

import io.partita.protocol.BinValues;
import io.partita.protocol.Limits;
import io.partita.protocol.OrderedList;
import io.partita.protocol.ValueOrder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Compact binary encoding of a bin map ({@code bin name -> value}); the single implementation of value encoding,
 * also used for the bins section of {@link RecordCodec}.
 *
 * <h2>Layout</h2>
 * <pre>
 * bins   := binCount:uvarint  bin*binCount
 * bin    := nameLen:u8 (1..255)  name:UTF-8[nameLen]  value
 * value  := 0x00                                  NULL   (write commands: "remove this bin")
 *         | 0x01                                  FALSE
 *         | 0x02                                  TRUE
 *         | 0x03 zigzag-varint                    LONG
 *         | 0x04 8 bytes big-endian               DOUBLE (IEEE-754 bits; NaN only as 0x7ff8000000000000)
 *         | 0x05 len:uvarint UTF-8[len]           STRING
 *         | 0x06 len:uvarint bytes[len]           BYTES
 *         | 0x07 count:uvarint value*count        LIST
 *         | 0x08 count:uvarint (key value)*count  MAP, keys: tags 0x01..0x06, pairwise distinct, order kept
 *         | 0x09 count:uvarint value*count        ORDERED LIST, elements non-decreasing in {@link ValueOrder}
 *         | 0x0A count:uvarint (key value)*count  KEY-ORDERED MAP, keys as for MAP, strictly increasing in ValueOrder
 * </pre>
 * {@code uvarint} is unsigned LEB128 (7 bits per byte, least significant group first, high bit = more bytes
 * follow), always in its shortest form; {@code zigzag-varint} maps a signed long n to {@code (n << 1) ^ (n >> 63)}
 * first. Lists and maps of either kind nest at most {@link Limits#MAX_VALUE_DEPTH} levels (a list directly in a bin is
 * level 1). Bin names are distinct. The encoding is canonical: equal inputs of the same kind (plain or ordered
 * containers, and the same order for plain maps) give equal bytes, and the decoder accepts exactly the byte strings
 * the encoder can produce. An ordered container's tag is the only byte that tells it from a plain one, as its order
 * attribute is the only thing that tells the Java values apart ({@link BinValues#deepEquals} ignores it).
 *
 * <p>This section carries no version of its own: it is always embedded in a versioned envelope (a record, see
 * {@link RecordCodec}, or a versioned write command), and a new layout gets a new envelope version. Tags 0x09 and
 * 0x0A came after record format versions 1 and 2, which must not contain them: readers pass a {@link Decoding} saying
 * whether the envelope allows them, and writers learn whether they wrote one (so the record encoder picks its version
 * without a second walk). The public decoders accept them: Raft log commands (put bins, operate operations and
 * results) carry the new tags without a version change, so, as for an operation number it does not know, a node of an
 * earlier release stops at such an entry with an error naming the tag; every replica must run a release with them
 * before a client writes an ordered container.
 *
 * <h2>Types</h2>
 * Encoders accept the types listed in {@link BinValues} (Integer/Short/Byte are written as LONG, Float as DOUBLE)
 * and apply its rules; an {@link OrderedList} is written as ORDERED LIST and any {@link SortedMap} as KEY-ORDERED MAP
 * (in ValueOrder of its keys, whatever its own comparator). Decoders return {@link Long}, {@link Double},
 * {@link String}, {@code byte[]}, {@link Boolean}, {@link ArrayList}, {@link LinkedHashMap}, {@link OrderedList} and
 * {@link TreeMap} ordered by {@link ValueOrder#ORDER}. Deeper nesting than {@link Limits#MAX_VALUE_DEPTH} is rejected
 * by encoders and decoders. Bin names here may be 1..{@value #MAX_BIN_NAME_BYTES} bytes of UTF-8; the protocol's
 * stricter limit ({@link Limits#MAX_BIN_NAME_BYTES}) is enforced where client requests enter.
 */
public final class BinCodec {
    /** Longest bin name the codec can store, in bytes of UTF-8. */
    public static final int MAX_BIN_NAME_BYTES = 255;

    static final int TAG_NULL = 0x00;
    static final int TAG_FALSE = 0x01;
    static final int TAG_TRUE = 0x02;
    static final int TAG_LONG = 0x03;
    static final int TAG_DOUBLE = 0x04;
    static final int TAG_STRING = 0x05;
    static final int TAG_BYTES = 0x06;
    static final int TAG_LIST = 0x07;
    static final int TAG_MAP = 0x08;
    static final int TAG_ORDERED_LIST = 0x09;
    static final int TAG_KEY_ORDERED_MAP = 0x0A;

    private static final long CANONICAL_NAN_BITS = Double.doubleToLongBits(Double.NaN);
    /** Smallest encoding of a bin: name length byte, one name byte, one tag byte. */
    private static final int MIN_BIN_BYTES = 3;
    /** Pre-sizing of decoded lists/maps is capped so hostile counts cannot make nested containers allocate much. */
    private static final int MAX_PRESIZE = 256;

    private BinCodec() {
    }

    /**
     * Encodes a bin map; a {@code null} value is encoded as NULL (bin removal in a write command).
     *
     * @throws IllegalArgumentException if a bin name is null, empty, longer than {@value #MAX_BIN_NAME_BYTES} bytes of
     *                                  UTF-8 or has an unpaired surrogate, or a value is not encodable (see
     *                                  {@link BinValues#canonicalize}); the message names the bin and, for an
     *                                  unsupported type, the Java type
     */
    public static byte[] encodeBins(Map<String, ?> bins) {
        Objects.requireNonNull(bins, "bins");
        ByteWriter out = new ByteWriter(64);
        writeBins(bins, out, true);
        return out.toByteArray();
    }

    /**
     * Decodes a whole array produced by {@link #encodeBins}. The returned map is a mutable {@link LinkedHashMap} in
     * encoded order and may contain {@code null} values.
     *
     * @throws CorruptRecordException if the bytes are not exactly one well-formed bins section
     */
    public static Map<String, Object> decodeBins(byte[] data) {
        return decodeBins(data, 0, data.length);
    }

    /**
     * Decodes {@code data[offset, offset+length)}, which must hold exactly one bins section. Offsets in exception
     * messages are indexes into {@code data}.
     *
     * @throws CorruptRecordException    if the region is not exactly one well-formed bins section
     * @throws IndexOutOfBoundsException if the region is not inside {@code data}
     */
    public static Map<String, Object> decodeBins(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        ByteReader in = new ByteReader(ByteBuffer.wrap(data), offset, offset + length);
        Map<String, Object> bins = readBins(in, true, Decoding.mutable());
        requireEnd(in);
        return bins;
    }

    /**
     * Decodes one bins section starting at the buffer's position and, on success, advances the position past it;
     * bytes after the section are left for the caller. On failure the position is unchanged. Offsets in exception
     * messages are buffer indexes. The buffer's byte order does not matter.
     *
     * @throws CorruptRecordException if no well-formed bins section starts at the position
     */
    public static Map<String, Object> readBins(ByteBuffer buffer) {
        ByteReader in = new ByteReader(buffer, buffer.position(), buffer.limit());
        Map<String, Object> bins = readBins(in, true, Decoding.mutable());
        buffer.position(in.position());
        return bins;
    }

    /**
     * Encodes one value on its own (any supported value, lists and maps nested to the usual depth, {@code null} as
     * NULL): the value layout of the class comment without a bin around it. Used by envelopes that carry values
     * outside a record, such as operation arguments in a log command.
     *
     * @param bin the bin the value is for, named in exception messages
     * @throws IllegalArgumentException if the value is not encodable
     */
    public static byte[] encodeValue(Object value, String bin) {
        ByteWriter out = new ByteWriter(32);
        writeValue(value, out, 0, bin);
        return out.toByteArray();
    }

    /**
     * Decodes {@code data[offset, offset+length)}, which must hold exactly one value written by {@link #encodeValue};
     * lists and maps come back mutable, as {@link #decodeBins} returns them.
     *
     * @throws CorruptRecordException if the region is not exactly one well-formed value
     */
    public static Object decodeValue(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        ByteReader in = new ByteReader(ByteBuffer.wrap(data), offset, offset + length);
        Object value = readValue(in, 0, Decoding.mutable(), "value");
        requireEnd(in);
        return value;
    }

    // ---- package-private entry points shared with RecordCodec and StoredRecord ----

    /** Validates a bin name and returns its UTF-8 bytes. */
    static byte[] binNameBytes(String name) {
        if (name == null) {
            throw new IllegalArgumentException("Bin name must not be null");
        }
        BinValues.checkWellFormed(name, "bin name '" + name + "'");
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length == 0 || utf8.length > MAX_BIN_NAME_BYTES) {
            throw new IllegalArgumentException("Bin name '" + name + "' is " + utf8.length
                    + " bytes of UTF-8; must be 1.." + MAX_BIN_NAME_BYTES);
        }
        return utf8;
    }

    /** Validates a set name ({@code ""} = no set) and returns its UTF-8 bytes. */
    static byte[] setNameBytes(String set) {
        if (set == null) {
            throw new IllegalArgumentException("Set name must not be null; use \"\" for no set");
        }
        BinValues.checkWellFormed(set, "set name '" + set + "'");
        byte[] utf8 = set.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > Limits.MAX_SET_BYTES) {
            throw new IllegalArgumentException("Set name '" + set + "' is " + utf8.length
                    + " bytes of UTF-8; the limit is " + Limits.MAX_SET_BYTES);
        }
        return utf8;
    }

    /**
     * @return whether an ordered list or key-ordered map was written anywhere (tags 0x09/0x0A, which need a newer
     *         envelope)
     */
    static boolean writeBins(Map<String, ?> bins, ByteWriter out, boolean allowNullValues) {
        int count = bins.size();
        out.writeVarLong(count);
        boolean ordered = false;
        int written = 0;
        for (Map.Entry<String, ?> e : bins.entrySet()) {
            String name = e.getKey();
            byte[] nameBytes = binNameBytes(name);
            Object value = e.getValue();
            if (value == null && !allowNullValues) {
                throw new IllegalArgumentException("Bin '" + name + "' has a null value");
            }
            out.writeByte(nameBytes.length);
            out.writeBytes(nameBytes);
            ordered |= writeValue(value, out, 0, name);
            written++;
        }
        if (written != count) {
            throw new ConcurrentModificationException("bin map changed size while being encoded");
        }
        return ordered;
    }

    /**
     * How one decode reads values, and what it found. One per decode: it is not thread-safe.
     */
    static final class Decoding {
        private final boolean immutable;
        private final String orderedTagsNeed;
        private boolean sawOrdered;

        /**
         * @param immutable       whether decoded lists/maps are wrapped unmodifiable (for {@link StoredRecord})
         * @param orderedTagsNeed null if the envelope allows tags 0x09/0x0A, else what they need, for the message
         *                        (e.g. {@code "record format version 3"})
         */
        Decoding(boolean immutable, String orderedTagsNeed) {
            this.immutable = immutable;
            this.orderedTagsNeed = orderedTagsNeed;
        }

        /** Mutable containers, every tag allowed: the public decoders. */
        static Decoding mutable() {
            return new Decoding(false, null);
        }

        /** Whether an ordered list or key-ordered map was read so far. */
        boolean sawOrdered() {
            return sawOrdered;
        }
    }

    /**
     * @param allowNullValues whether a bin may hold NULL (write commands) or not (stored records)
     */
    static Map<String, Object> readBins(ByteReader in, boolean allowNullValues, Decoding decoding) {
        int count = in.readCount("bin count", MIN_BIN_BYTES);
        Map<String, Object> bins = new LinkedHashMap<>(BinValues.hashCapacity(Math.min(count, MAX_PRESIZE)));
        for (int i = 0; i < count; i++) {
            int nameOffset = in.position();
            int nameLen = in.readUnsignedByte("bin name length");
            if (nameLen == 0) {
                throw in.corrupt("empty bin name", nameOffset);
            }
            String name = readUtf8(in, nameLen, "bin name");
            if (bins.containsKey(name)) {
                throw in.corrupt("duplicate bin name '" + name + "'", nameOffset);
            }
            int valueOffset = in.position();
            Object value = readValue(in, 0, decoding, name);
            if (value == null && !allowNullValues) {
                throw in.corrupt("null value for bin '" + name + "' in a stored record", valueOffset);
            }
            bins.put(name, value);
        }
        return bins;
    }

    static void requireEnd(ByteReader in) {
        if (in.remaining() != 0) {
            throw in.corrupt(in.remaining() + " trailing bytes after the end of the encoding", in.position());
        }
    }

    // ---- values ----

    /**
     * @param depth number of lists/maps enclosing this value
     * @return whether it wrote an ordered list or key-ordered map (this value or one inside it)
     */
    private static boolean writeValue(Object v, ByteWriter out, int depth, String bin) {
        if (v == null) {
            out.writeByte(TAG_NULL);
        } else if (v instanceof Boolean) {
            out.writeByte((Boolean) v ? TAG_TRUE : TAG_FALSE);
        } else if (BinValues.isIntegral(v)) {
            out.writeByte(TAG_LONG);
            out.writeZigZagLong(((Number) v).longValue());
        } else if (BinValues.isFloating(v)) {
            out.writeByte(TAG_DOUBLE);
            out.writeLongBigEndian(Double.doubleToLongBits(((Number) v).doubleValue()));
        } else if (v instanceof String) {
            String s = (String) v;
            BinValues.checkWellFormed(s, where(bin));
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeByte(TAG_STRING);
            out.writeVarLong(utf8.length);
            out.writeBytes(utf8);
        } else if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            out.writeByte(TAG_BYTES);
            out.writeVarLong(b.length);
            out.writeBytes(b);
        } else if (v instanceof List) {
            return writeList((List<?>) v, v instanceof OrderedList, out, depth, bin);
        } else if (v instanceof Map) {
            return writeMap((Map<?, ?>) v, v instanceof SortedMap, out, depth, bin);
        } else {
            throw BinValues.unsupportedType(v, where(bin));
        }
        return false;
    }

    /** LIST, or ORDERED LIST in the list's own (already sorted) order. */
    private static boolean writeList(List<?> list, boolean ordered, ByteWriter out, int depth, String bin) {
        BinValues.checkDepth(depth, where(bin));
        int count = list.size();
        out.writeByte(ordered ? TAG_ORDERED_LIST : TAG_LIST);
        out.writeVarLong(count);
        boolean nestedOrdered = false;
        Object previous = null;
        int written = 0;
        for (Object e : list) {
            nestedOrdered |= writeValue(e, out, depth + 1, bin);
            // OrderedList.ofSorted trusts its callers; an unsorted one must not become a record the decoder rejects.
            // Compared after writing, so an unsupported element gets the usual message.
            if (ordered && written > 0 && ValueOrder.compare(previous, e) > 0) {
                throw new IllegalArgumentException("Ordered list elements out of value order ("
                        + BinValues.toDisplayString(e) + " after " + BinValues.toDisplayString(previous) + ") in "
                        + where(bin));
            }
            previous = e;
            written++;
        }
        if (written != count) {
            throw new ConcurrentModificationException("list in bin '" + bin + "' changed size while encoded");
        }
        return ordered || nestedOrdered;
    }

    /** MAP in iteration order, or KEY-ORDERED MAP in ValueOrder of the keys. */
    private static boolean writeMap(Map<?, ?> map, boolean keyOrdered, ByteWriter out, int depth, String bin) {
        BinValues.checkDepth(depth, where(bin));
        int count = map.size();
        out.writeByte(keyOrdered ? TAG_KEY_ORDERED_MAP : TAG_MAP);
        out.writeVarLong(count);
        Set<BinValues.DeepKey> seen = new HashSet<>(BinValues.hashCapacity(count));
        boolean nestedOrdered = false;
        Object previousKey = null;
        int written = 0;
        for (Map.Entry<?, ?> e : keyOrdered ? inValueOrder((SortedMap<?, ?>) map, bin) : map.entrySet()) {
            Object key = e.getKey();
            BinValues.checkMapKey(key, where(bin));
            BinValues.addDistinctKey(seen, key, where(bin));
            // Only a SortedMap whose iteration contradicts its comparator() can fail this.
            if (keyOrdered && written > 0 && ValueOrder.compare(previousKey, key) >= 0) {
                throw new IllegalArgumentException("Key-ordered map keys out of value order ("
                        + BinValues.toDisplayString(key) + " after " + BinValues.toDisplayString(previousKey)
                        + ") in " + where(bin));
            }
            writeValue(key, out, depth + 1, bin);
            nestedOrdered |= writeValue(e.getValue(), out, depth + 1, bin);
            previousKey = key;
            written++;
        }
        if (written != count) {
            throw new ConcurrentModificationException("map in bin '" + bin + "' changed size while encoded");
        }
        return keyOrdered || nestedOrdered;
    }

    /** The entries in ValueOrder of their keys: as they are when the map already sorts that way, else sorted. */
    private static Collection<? extends Map.Entry<?, ?>> inValueOrder(SortedMap<?, ?> map, String bin) {
        if (map.comparator() == ValueOrder.ORDER) {
            return map.entrySet();
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            BinValues.checkMapKey(e.getKey(), where(bin)); // before ValueOrder sees it: the usual message
            entries.add(e);
        }
        // keys equal in ValueOrder (Integer 1 and Long 1 under another comparator) are refused by the caller
        entries.sort((a, b) -> ValueOrder.compare(a.getKey(), b.getKey()));
        return entries;
    }

    private static String where(String bin) {
        return "bin '" + bin + "'";
    }

    /**
     * @param depth number of lists/maps enclosing this value
     */
    private static Object readValue(ByteReader in, int depth, Decoding decoding, String bin) {
        int tagOffset = in.position();
        int tag = in.readUnsignedByte("value type tag");
        return readTagged(in, tag, tagOffset, depth, decoding, bin);
    }

    /** Reads the value after a tag that has already been consumed. */
    private static Object readTagged(ByteReader in, int tag, int tagOffset, int depth, Decoding decoding,
                                     String bin) {
        switch (tag) {
            case TAG_NULL:
                return null;
            case TAG_FALSE:
                return Boolean.FALSE;
            case TAG_TRUE:
                return Boolean.TRUE;
            case TAG_LONG:
                return in.readZigZagLong("long value");
            case TAG_DOUBLE: {
                int at = in.position();
                long bits = in.readLongBigEndian("double value");
                double d = Double.longBitsToDouble(bits);
                if (Double.isNaN(d) && bits != CANONICAL_NAN_BITS) {
                    throw in.corrupt("non-canonical NaN bits 0x" + Long.toHexString(bits), at);
                }
                return d;
            }
            case TAG_STRING: {
                int len = readLength(in, "string length");
                return readUtf8(in, len, "string");
            }
            case TAG_BYTES: {
                int len = readLength(in, "byte array length");
                return in.readBytes(len);
            }
            case TAG_LIST:
            case TAG_ORDERED_LIST:
                return readList(in, tag, tagOffset, depth, decoding, bin);
            case TAG_MAP:
            case TAG_KEY_ORDERED_MAP:
                return readMap(in, tag, tagOffset, depth, decoding, bin);
            default:
                throw in.corrupt("unknown value type tag 0x" + Integer.toHexString(tag), tagOffset);
        }
    }

    private static Object readList(ByteReader in, int tag, int tagOffset, int depth, Decoding decoding, String bin) {
        boolean ordered = tag == TAG_ORDERED_LIST;
        if (ordered) {
            checkOrderedTagAllowed(in, tag, tagOffset, decoding);
        }
        checkDecodeDepth(in, depth, tagOffset);
        int count = in.readCount("list element count", 1);
        List<Object> list = new ArrayList<>(Math.min(count, MAX_PRESIZE));
        for (int i = 0; i < count; i++) {
            int elementOffset = in.position();
            Object element = readValue(in, depth + 1, decoding, bin);
            if (ordered && i > 0 && ValueOrder.compare(list.get(i - 1), element) > 0) {
                throw in.corrupt("ordered list elements out of order: " + BinValues.toDisplayString(element)
                        + " after " + BinValues.toDisplayString(list.get(i - 1)), elementOffset);
            }
            list.add(element);
        }
        if (ordered) {
            return OrderedList.ofSorted(list.toArray()); // read-only either way
        }
        return decoding.immutable ? Collections.unmodifiableList(list) : list;
    }

    private static Object readMap(ByteReader in, int tag, int tagOffset, int depth, Decoding decoding, String bin) {
        boolean keyOrdered = tag == TAG_KEY_ORDERED_MAP;
        if (keyOrdered) {
            checkOrderedTagAllowed(in, tag, tagOffset, decoding);
        }
        checkDecodeDepth(in, depth, tagOffset);
        int count = in.readCount("map entry count", 2);
        Map<Object, Object> map = keyOrdered ? new TreeMap<>(ValueOrder.ORDER)
                : new LinkedHashMap<>(BinValues.hashCapacity(Math.min(count, MAX_PRESIZE)));
        Set<BinValues.DeepKey> byteArrayKeys = null;
        Object previousKey = null;
        for (int i = 0; i < count; i++) {
            int keyOffset = in.position();
            int keyTag = in.readUnsignedByte("map key type tag");
            if (keyTag < TAG_FALSE || keyTag > TAG_BYTES) {
                throw in.corrupt("type tag 0x" + Integer.toHexString(keyTag)
                        + " is not allowed for a map key", keyOffset);
            }
            Object key = readTagged(in, keyTag, keyOffset, depth + 1, decoding, bin);
            if (keyOrdered) {
                // strictly increasing also rules out duplicates: compare == 0 exactly for deep-equal keys
                if (i > 0 && ValueOrder.compare(previousKey, key) >= 0) {
                    throw in.corrupt("key-ordered map keys out of order or duplicate: "
                            + BinValues.toDisplayString(key) + " after " + BinValues.toDisplayString(previousKey),
                            keyOffset);
                }
                previousKey = key;
            } else {
                boolean duplicate;
                if (key instanceof byte[]) {
                    if (byteArrayKeys == null) {
                        byteArrayKeys = new HashSet<>();
                    }
                    duplicate = !byteArrayKeys.add(new BinValues.DeepKey(key));
                } else {
                    duplicate = map.containsKey(key);
                }
                if (duplicate) {
                    throw in.corrupt("duplicate map key " + BinValues.toDisplayString(key), keyOffset);
                }
            }
            map.put(key, readValue(in, depth + 1, decoding, bin));
        }
        if (!decoding.immutable) {
            return map;
        }
        return keyOrdered ? Collections.unmodifiableSortedMap((SortedMap<Object, Object>) map)
                : Collections.unmodifiableMap(map);
    }

    private static void checkOrderedTagAllowed(ByteReader in, int tag, int tagOffset, Decoding decoding) {
        if (decoding.orderedTagsNeed != null) {
            throw in.corrupt(String.format("tag 0x%02x needs %s", tag, decoding.orderedTagsNeed), tagOffset);
        }
        decoding.sawOrdered = true;
    }

    private static void checkDecodeDepth(ByteReader in, int depth, int tagOffset) {
        if (depth >= Limits.MAX_VALUE_DEPTH) {
            throw in.corrupt("lists/maps nested deeper than " + Limits.MAX_VALUE_DEPTH + " levels", tagOffset);
        }
    }

    private static int readLength(ByteReader in, String what) {
        int at = in.position();
        long len = in.readVarLong(what);
        if (Long.compareUnsigned(len, in.remaining()) > 0) {
            throw in.corrupt(what + " " + Long.toUnsignedString(len) + " exceeds the " + in.remaining()
                    + " bytes remaining", at);
        }
        return (int) len;
    }

    /** Reads {@code len} bytes (len must already fit) as strict UTF-8: malformed, overlong or surrogate code → corrupt. */
    static String readUtf8(ByteReader in, int len, String what) {
        int at = in.position();
        if (len > in.remaining()) {
            throw in.corrupt("truncated input: " + what + " needs " + len + " bytes, " + in.remaining() + " remain",
                    at);
        }
        byte[] bytes = in.readBytes(len);
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw in.corrupt("invalid UTF-8 in " + what, at);
        }
    }
}
