package io.partita.engine.record;

import io.partita.protocol.Limits;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * On-disk encoding of a {@link StoredRecord}. Every encoding starts with a format version byte; this class writes
 * version {@value #FORMAT_VERSION} and keeps decoding version 1 exactly as specified here (its records have the set
 * {@code ""}). Any future version must keep decoding both.
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
 * ({@link #voidTimeMs}) is the same for both versions.
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
 * {@link BinCodec}. Nothing may follow the bins section.
 *
 * <h2>Robustness</h2>
 * The decoder checks every length and count against the bytes remaining before allocating, rejects unknown versions
 * and tags, non-minimal varints, invalid UTF-8, set names over {@link Limits#MAX_SET_BYTES} bytes, duplicate bin
 * names or map keys, non-canonical NaNs, nesting deeper than {@link Limits#MAX_VALUE_DEPTH} and trailing bytes. On
 * any malformed input it throws {@link CorruptRecordException} and nothing else, in time linear in the input size.
 */
public final class RecordCodec {
    /** The format version this class writes. */
    public static final int FORMAT_VERSION = 2;
    /** The oldest format version this class reads. */
    public static final int OLDEST_READABLE_VERSION = 1;

    private static final long MAX_UNSIGNED_INT = 0xFFFF_FFFFL;

    private RecordCodec() {
    }

    /** Encodes a record in format version {@value #FORMAT_VERSION}. Deterministic for a given record instance. */
    public static byte[] encode(StoredRecord record) {
        Objects.requireNonNull(record, "record");
        byte[] set = BinCodec.setNameBytes(record.set());
        ByteWriter out = new ByteWriter(32 + set.length + 16 * record.bins().size());
        out.writeByte(FORMAT_VERSION);
        out.writeVarLong(Integer.toUnsignedLong(record.generation()));
        out.writeZigZagLong(record.voidTimeMs());
        out.writeZigZagLong(record.lastUpdateMs());
        out.writeByte(set.length);
        out.writeBytes(set);
        BinCodec.writeBins(record.bins(), out, false);
        return out.toByteArray();
    }

    /**
     * Decodes a whole array produced by {@link #encode} (or by a version 1 encoder).
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
        Header h = readHeader(in, offset);
        Map<String, Object> bins = BinCodec.readBins(in, false, true);
        BinCodec.requireEnd(in);
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

    /** Reads the format byte and the header fields of either version, leaving the reader at the bins. */
    private static Header readHeader(ByteReader in, int offset) {
        if (in.remaining() == 0) {
            throw in.corrupt("empty input: no format version byte", offset);
        }
        int version = in.readUnsignedByte("format version");
        if (version < OLDEST_READABLE_VERSION || version > FORMAT_VERSION) {
            throw in.corrupt("unsupported record format version " + version + " (this build reads "
                    + OLDEST_READABLE_VERSION + ".." + FORMAT_VERSION + ")", offset);
        }
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
