package io.partita.engine.record;

import io.partita.protocol.Limits;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * On-disk encoding of a {@link StoredRecord}. Every encoding starts with a format version byte. This class writes
 * version 3 for a record that holds an ordered list or key-ordered map anywhere, and version 2 for every other record,
 * so a record a release without those types can read is written exactly as that release wrote it. It keeps decoding
 * versions 1 and 2 exactly as specified here (version 1 records have the set {@code ""}). Any future version must keep
 * decoding all three.
 *
 * <h2>Format version 3 (written when needed)</h2>
 * <pre>
 * record := version:u8 (= 0x03)  then the fields of version 2
 * </pre>
 * whose values may also use tags 0x09 (ORDERED LIST) and 0x0A (KEY-ORDERED MAP) of {@link BinCodec}, and must use one
 * of them somewhere: a record without them is version 2, so each record has one encoding. The encoder learns whether
 * it wrote one while writing the bins and then sets the version byte.
 *
 * <p>Example: set "s", generation 300, voidTimeMs 1000, lastUpdateMs 1, one bin {@code "o"} = ordered list
 * {@code [1, 2]} encodes as {@code 03 ac02 d00f 02 | 01 73 | 01 | 01 6f 09 02 0302 0304}; with a plain list
 * {@code [1, 2]} instead it is version 2: {@code 02 ac02 d00f 02 | 01 73 | 01 | 01 6f 07 02 0302 0304}.
 *
 * <h2>Format version 2 (written)</h2>
 * <pre>
 * record := version:u8 (= 0x02)
 *           generation:uvarint     (the int read as unsigned 32-bit, so at most 5 bytes and &lt; 2^32)
 *           voidTimeMs:zigzag-varint   (0 = never expires)
 *           lastUpdateMs:zigzag-varint
 *           setLength:u8 (0..63)  set:UTF-8[setLength]   (0 = no set)
 *           bins                   (exactly as {@link BinCodec} writes it; NULL bin values are not allowed here)
 * </pre>
 * The set sits after the fixed header so that the header fields keep their version 1 positions: a header read
 * ({@link #voidTimeMs}) is the same for every version.
 *
 * <p>Example: set "s", generation 300, voidTimeMs 1000, lastUpdateMs 1, one bin {@code "n" = -2L} encodes as
 * {@code 02 ac02 d00f 02 | 01 73 | 01 | 01 6e 03 03}.
 *
 * <h2>Format version 1 (read only)</h2>
 * <pre>
 * record := version:u8 (= 0x01)
 *           generation:uvarint
 *           voidTimeMs:zigzag-varint
 *           lastUpdateMs:zigzag-varint
 *           bins
 * </pre>
 * Example: generation 300, voidTimeMs 1000, lastUpdateMs 1, one bin {@code "n" = -2L} encodes as
 * {@code 01 ac02 d00f 02 | 01 | 01 6e 03 03}.
 *
 * <p>{@code uvarint} is unsigned LEB128 in shortest form, {@code zigzag-varint} a signed long zig-zag mapped to
 * {@code (n << 1) ^ (n >> 63)} and then written as a uvarint; the value encodings (tags 0x00..0x08, 8-byte big-endian
 * doubles, length-prefixed strings and byte arrays, count-prefixed lists and maps) are documented on
 * {@link BinCodec}; versions 1 and 2 reject tags 0x09 and 0x0A as corrupt. Nothing may follow the bins section.
 *
 * <h2>Robustness</h2>
 * The decoder checks every length and count against the bytes remaining before allocating, rejects unknown versions
 * and tags, tags 0x09/0x0A in versions 1 and 2 and version 3 records without them, non-minimal varints, invalid UTF-8,
 * set names over {@link Limits#MAX_SET_BYTES} bytes, duplicate bin names or map keys, ordered containers out of order,
 * non-canonical NaNs, nesting deeper than {@link Limits#MAX_VALUE_DEPTH} and trailing bytes. On any malformed input it
 * throws {@link CorruptRecordException} and nothing else, in time about linear in the input size (the order checks
 * compare neighbouring elements, and comparing two maps sorts their entries).
 */
public final class RecordCodec {
    /**
     * The newest format version this class writes, and reads: only for records holding an ordered list or key-ordered
     * map; others are written in version 2.
     */
    public static final int FORMAT_VERSION = 3;
    /** The oldest format version this class reads. */
    public static final int OLDEST_READABLE_VERSION = 1;

    /** Written for records without ordered containers; its values cannot hold tags 0x09/0x0A. */
    private static final int UNORDERED_VERSION = 2;
    private static final String ORDERED_TAGS_NEED = "record format version " + FORMAT_VERSION;

    private static final long MAX_UNSIGNED_INT = 0xFFFF_FFFFL;

    private RecordCodec() {
    }

    /**
     * Encodes a record in format version {@value #FORMAT_VERSION} if it holds an ordered list or key-ordered map at any
     * depth, else in version 2. Deterministic for a given record instance.
     */
    public static byte[] encode(StoredRecord record) {
        Objects.requireNonNull(record, "record");
        byte[] set = BinCodec.setNameBytes(record.set());
        ByteWriter out = new ByteWriter(32 + set.length + 16 * record.bins().size());
        out.writeByte(UNORDERED_VERSION);
        out.writeVarLong(Integer.toUnsignedLong(record.generation()));
        out.writeZigZagLong(record.voidTimeMs());
        out.writeZigZagLong(record.lastUpdateMs());
        out.writeByte(set.length);
        out.writeBytes(set);
        boolean ordered = BinCodec.writeBins(record.bins(), out, false);
        byte[] bytes = out.toByteArray();
        if (ordered) {
            bytes[0] = FORMAT_VERSION; // versions 2 and 3 differ only in the tags allowed
        }
        return bytes;
    }

    /**
     * Decodes a whole array produced by {@link #encode} (or by an older encoder).
     *
     * @throws CorruptRecordException if the bytes are not exactly one well-formed record
     */
    public static StoredRecord decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    /**
     * Decodes {@code data[offset, offset+length)}, which must hold exactly one record. Offsets in exception messages
     * are indexes into {@code data}.
     *
     * @throws CorruptRecordException    if the region is not exactly one well-formed record
     * @throws IndexOutOfBoundsException if the region is not inside {@code data}
     */
    public static StoredRecord decode(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        ByteReader in = new ByteReader(ByteBuffer.wrap(data), offset, offset + length);
        int version = readVersion(in, offset);
        Header h = readHeaderFields(in, version);
        BinCodec.Decoding decoding = new BinCodec.Decoding(true, version >= 3 ? null : ORDERED_TAGS_NEED);
        Map<String, Object> bins = BinCodec.readBins(in, false, decoding);
        BinCodec.requireEnd(in);
        if (version >= 3 && !decoding.sawOrdered()) {
            throw in.corrupt("record format version " + version + " without an ordered list or key-ordered map (such "
                    + "a record is written as version " + UNORDERED_VERSION + ")", offset);
        }
        return StoredRecord.ofDecoded(h.set, h.generation, h.voidTimeMs, h.lastUpdateMs, bins);
    }

    /**
     * Reads only the header's void time (ms since epoch, 0 = never expires), so a reader can drop an expired record
     * or pass a live one on as bytes without decoding its bins.
     *
     * @throws CorruptRecordException if the header is malformed
     */
    public static long voidTimeMs(byte[] data) {
        return readHeader(new ByteReader(ByteBuffer.wrap(data), 0, data.length), 0).voidTimeMs;
    }

    /**
     * Reads only the header's set name ({@code ""} for version 1 records), without decoding the bins.
     *
     * @throws CorruptRecordException if the header is malformed
     */
    public static String set(byte[] data) {
        return readHeader(new ByteReader(ByteBuffer.wrap(data), 0, data.length), 0).set;
    }

    /**
     * A record's header fields.
     *
     * @param set          set name ({@code ""} for none, and for version 1 records)
     * @param generation   the record's generation (an unsigned 32-bit number held in an int)
     * @param voidTimeMs   expiry, ms since the Unix epoch, 0 = never
     * @param lastUpdateMs time of the last write, ms since the Unix epoch
     */
    public record Header(String set, int generation, long voidTimeMs, long lastUpdateMs) {
    }

    /**
     * Reads only the header, without decoding the bins (for scans that decide by generation or expiry).
     *
     * @throws CorruptRecordException if the header is malformed
     */
    public static Header header(byte[] data) {
        return readHeader(new ByteReader(ByteBuffer.wrap(data), 0, data.length), 0);
    }

    /** Reads the format byte and the header fields of any version, leaving the reader at the bins. */
    private static Header readHeader(ByteReader in, int offset) {
        return readHeaderFields(in, readVersion(in, offset));
    }

    private static int readVersion(ByteReader in, int offset) {
        if (in.remaining() == 0) {
            throw in.corrupt("empty input: no format version byte", offset);
        }
        int version = in.readUnsignedByte("format version");
        if (version < OLDEST_READABLE_VERSION || version > FORMAT_VERSION) {
            throw in.corrupt("unsupported record format version " + version + " (this build reads "
                    + OLDEST_READABLE_VERSION + ".." + FORMAT_VERSION + ")", offset);
        }
        return version;
    }

    /** The header fields after the version byte. */
    private static Header readHeaderFields(ByteReader in, int version) {
        int genOffset = in.position();
        long generation = in.readVarLong("generation");
        if (generation > MAX_UNSIGNED_INT) {
            throw in.corrupt("generation " + Long.toUnsignedString(generation) + " does not fit 32 bits", genOffset);
        }
        long voidTimeMs = in.readZigZagLong("void time");
        long lastUpdateMs = in.readZigZagLong("last update time");
        String set = "";
        if (version >= 2) {
            int setOffset = in.position();
            int setLength = in.readUnsignedByte("set name length");
            if (setLength > Limits.MAX_SET_BYTES) {
                throw in.corrupt("set name of " + setLength + " bytes exceeds " + Limits.MAX_SET_BYTES, setOffset);
            }
            set = BinCodec.readUtf8(in, setLength, "set name");
        }
        return new Header(set, (int) generation, voidTimeMs, lastUpdateMs);
    }
}
