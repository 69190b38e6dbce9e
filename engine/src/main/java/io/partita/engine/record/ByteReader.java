package io.partita.engine.record;

import java.nio.ByteBuffer;

/**
 * Bounds-checked reads over a region of a {@link ByteBuffer} (heap or direct) using absolute gets, so the buffer's
 * own position, limit and byte order are never touched. Every read checks the bytes remaining first and reports
 * problems as {@link CorruptRecordException} with the buffer index of the offending field.
 */
final class ByteReader {
    private final ByteBuffer buf;
    private final int limit;
    private int pos;

    ByteReader(ByteBuffer buf, int start, int limit) {
        this.buf = buf;
        this.pos = start;
        this.limit = limit;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return limit - pos;
    }

    CorruptRecordException corrupt(String problem, int offset) {
        return new CorruptRecordException(problem, offset);
    }

    int readUnsignedByte(String what) {
        if (pos >= limit) {
            throw corrupt("truncated input: missing " + what, pos);
        }
        return buf.get(pos++) & 0xFF;
    }

    /**
     * Unsigned LEB128 of at most 10 bytes. Only the shortest encoding is accepted (no trailing zero groups), so each
     * number has exactly one valid encoding.
     */
    long readVarLong(String what) {
        int start = pos;
        long result = 0;
        for (int shift = 0; ; shift += 7) {
            if (pos >= limit) {
                throw corrupt("truncated varint (" + what + ")", start);
            }
            int b = buf.get(pos++) & 0xFF;
            if (shift == 63 && b > 1) {
                throw corrupt("varint (" + what + ") overflows 64 bits", start);
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw corrupt("non-minimal varint (" + what + ")", start);
                }
                return result;
            }
        }
    }

    long readZigZagLong(String what) {
        long n = readVarLong(what);
        return (n >>> 1) ^ -(n & 1);
    }

    /**
     * Reads a varint count of items that each take at least {@code minBytesPerItem} bytes, and rejects it unless
     * that many items can fit in the bytes remaining. This bounds every allocation by the input size.
     */
    int readCount(String what, int minBytesPerItem) {
        int start = pos;
        long n = readVarLong(what);
        long fits = remaining() / minBytesPerItem;
        if (Long.compareUnsigned(n, fits) > 0) {
            throw corrupt(what + " " + Long.toUnsignedString(n) + " exceeds what the remaining "
                    + remaining() + " bytes can hold", start);
        }
        return (int) n;
    }

    long readLongBigEndian(String what) {
        if (remaining() < 8) {
            throw corrupt("truncated input: " + what + " needs 8 bytes, " + remaining() + " remain", pos);
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf.get(pos++) & 0xFF);
        }
        return v;
    }

    /** Caller must have checked {@code n <= remaining()}. */
    byte[] readBytes(int n) {
        byte[] out = new byte[n];
        buf.get(pos, out, 0, n);
        pos += n;
        return out;
    }
}
