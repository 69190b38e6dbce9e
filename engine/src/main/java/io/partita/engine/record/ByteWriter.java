package io.partita.engine.record;

import java.util.Arrays;

/** Growable byte buffer with the primitive writes of the record encoding. Not thread-safe. */
final class ByteWriter {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private byte[] buf;
    private int size;

    ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int extra) {
        long needed = (long) size + extra;
        if (needed <= buf.length) {
            return;
        }
        if (needed > MAX_ARRAY) {
            throw new IllegalArgumentException("encoded size would exceed " + MAX_ARRAY + " bytes");
        }
        long grown = Math.max(needed, Math.min((long) buf.length * 2, MAX_ARRAY));
        buf = Arrays.copyOf(buf, (int) grown);
    }

    void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** Unsigned LEB128: 7 bits per byte, low bits first, high bit set on every byte but the last. */
    void writeVarLong(long value) {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** Zig-zag maps small negative and positive numbers to small unsigned ones, then unsigned LEB128. */
    void writeZigZagLong(long value) {
        writeVarLong((value << 1) ^ (value >> 63));
    }

    /** Eight bytes, most significant first. */
    void writeLongBigEndian(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (value >>> shift);
        }
    }

    void writeBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }
}
