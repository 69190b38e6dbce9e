package io.partita.engine.record;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * On-disk encoding of a {@link StoredRecord}. Every encoding starts with a format version byte; this class writes
 * version {@value #FORMAT_VERSION}, and any future version must keep decoding version 1 as specified here.
 *
 * <h2>Format version 1</h2>
 * <pre>
 * record := version:u8 (= 0x01)
 *           generation:uvarint     (the int read as unsigned 32-bit, so at most 5 bytes and &lt; 2^32)
 *           voidTimeMs:zigzag-varint   (0 = never expires)
 *           lastUpdateMs:zigzag-varint
 *           bins                   (exactly as {@link BinCodec} writes it; NULL bin values are not allowed here)
 * </pre>
 * {@code uvarint} is unsigned LEB128 in shortest form, {@code zigzag-varint} a signed long zig-zag mapped to
 * {@code (n << 1) ^ (n >> 63)} and then written as a uvarint; the value encodings (tags 0x00..0x08, 8-byte big-endian
 * doubles, length-prefixed strings and byte arrays, count-prefixed lists and maps) are documented on
 * {@link BinCodec}. Nothing may follow the bins section.
 *
 * <p>Example: generation 300, voidTimeMs 1000, lastUpdateMs 1, one bin {@code "n" = -2L} encodes as
 * {@code 01 ac02 d00f 02 | 01 | 01 6e 03 03}.
 *
 * <h2>Robustness</h2>
 * The decoder checks every length and count against the bytes remaining before allocating, rejects unknown versions
 * and tags, non-minimal varints, invalid UTF-8, duplicate bin names or map keys, non-canonical NaNs, nesting deeper
 * than {@link io.partita.protocol.Limits#MAX_VALUE_DEPTH} and trailing bytes. On any malformed input it throws
 * {@link CorruptRecordException} and nothing else, in time linear in the input size.
 */
public final class RecordCodec {
    /** The format version this class writes. */
    public static final int FORMAT_VERSION = 1;

    private static final long MAX_UNSIGNED_INT = 0xFFFF_FFFFL;

    private RecordCodec() {
    }

    /** Encodes a record in format version {@value #FORMAT_VERSION}. Deterministic for a given record instance. */
    public static byte[] encode(StoredRecord record) {
        Objects.requireNonNull(record, "record");
        ByteWriter out = new ByteWriter(32 + 16 * record.bins().size());
        out.writeByte(FORMAT_VERSION);
        out.writeVarLong(Integer.toUnsignedLong(record.generation()));
        out.writeZigZagLong(record.voidTimeMs());
        out.writeZigZagLong(record.lastUpdateMs());
        BinCodec.writeBins(record.bins(), out, false);
        return out.toByteArray();
    }

    /**
     * Decodes a whole array produced by {@link #encode}.
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
        return decodeVersion1(openVersion1(data, offset, length));
    }

    /**
     * Reads only the header's void time (ms since epoch, 0 = never expires), so a reader can drop an expired record
     * or pass a live one on as bytes without decoding its bins.
     */
    public static long voidTimeMs(byte[] data) {
        ByteReader in = openVersion1(data, 0, data.length);
        in.readVarLong("generation");
        return in.readZigZagLong("void time");
    }

    /** Positions a reader after the format byte, which must say version 1. */
    private static ByteReader openVersion1(byte[] data, int offset, int length) {
        ByteReader in = new ByteReader(ByteBuffer.wrap(data), offset, offset + length);
        if (in.remaining() == 0) {
            throw in.corrupt("empty input: no format version byte", offset);
        }
        int version = in.readUnsignedByte("format version");
        if (version != 1) {
            throw in.corrupt("unsupported record format version " + version + " (this build reads 1)", offset);
        }
        return in;
    }

    private static StoredRecord decodeVersion1(ByteReader in) {
        int genOffset = in.position();
        long generation = in.readVarLong("generation");
        if (generation > MAX_UNSIGNED_INT) {
            throw in.corrupt("generation " + Long.toUnsignedString(generation) + " does not fit 32 bits", genOffset);
        }
        long voidTimeMs = in.readZigZagLong("void time");
        long lastUpdateMs = in.readZigZagLong("last update time");
        Map<String, Object> bins = BinCodec.readBins(in, false, true);
        BinCodec.requireEnd(in);
        return StoredRecord.ofDecoded((int) generation, voidTimeMs, lastUpdateMs, bins);
    }
}
