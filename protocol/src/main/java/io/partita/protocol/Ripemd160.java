package io.partita.protocol;

import java.util.Arrays;

/**
 * RIPEMD-160 message digest, written from the algorithm's specification (Dobbertin, Bosselaers, Preneel, 1996).
 *
 * <p>Aerospike derives a record's 20-byte key digest with this hash; Partita does the same so that keys land in the
 * same partitions. Implemented here to keep the client free of a crypto-provider dependency.
 *
 * <p>Use either the one-shot {@link #digest(byte[]...)} or an instance: {@link #update(byte[])} any number of
 * times, then {@link #digest()}. An instance is not thread-safe; after {@link #digest()} it is reset and can be
 * reused.
 */
public final class Ripemd160 {

    /** Length of the digest in bytes. */
    public static final int DIGEST_LENGTH = 20;

    private static final int BLOCK = 64;

    // Word selection per step, left line.
    private static final int[] RL = {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
        3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
        1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
        4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13};
    // Word selection per step, right line.
    private static final int[] RR = {
        5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
        6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
        15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
        8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
        12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11};
    // Rotation amounts per step, left line.
    private static final int[] SL = {
        11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
        7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
        11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
        11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
        9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6};
    // Rotation amounts per step, right line.
    private static final int[] SR = {
        8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
        9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
        9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
        15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
        8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11};
    // Round constants: floor(2^30 * sqrt(2,3,5,7)) on the left, floor(2^30 * cbrt(2,3,5,7)) on the right.
    private static final int[] KL = {0x00000000, 0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xA953FD4E};
    private static final int[] KR = {0x50A28BE6, 0x5C4DD124, 0x6D703EF3, 0x7A6D76E9, 0x00000000};

    private final int[] h = new int[5];
    private final int[] x = new int[16];
    private final byte[] buffer = new byte[BLOCK];
    private int bufferLength;
    private long byteCount;

    /** A fresh digest, ready for {@link #update(byte[])}. */
    public Ripemd160() {
        reset();
    }

    /** Digest of the concatenation of {@code parts}, without copying them into one array. */
    public static byte[] digest(byte[]... parts) {
        Ripemd160 md = new Ripemd160();
        for (byte[] part : parts) {
            md.update(part);
        }
        return md.digest();
    }

    /** Discards everything fed so far. */
    public void reset() {
        h[0] = 0x67452301;
        h[1] = 0xEFCDAB89;
        h[2] = 0x98BADCFE;
        h[3] = 0x10325476;
        h[4] = 0xC3D2E1F0;
        bufferLength = 0;
        byteCount = 0;
        Arrays.fill(buffer, (byte) 0);
    }

    /** Feeds one byte. */
    public Ripemd160 update(byte b) {
        buffer[bufferLength++] = b;
        byteCount++;
        if (bufferLength == BLOCK) {
            compress(buffer, 0);
            bufferLength = 0;
        }
        return this;
    }

    /** Feeds all of {@code data}. */
    public Ripemd160 update(byte[] data) {
        return update(data, 0, data.length);
    }

    /** Feeds {@code length} bytes of {@code data} starting at {@code offset}. */
    public Ripemd160 update(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array " + data.length);
        }
        byteCount += length;
        int pos = offset;
        int end = offset + length;
        if (bufferLength > 0) {
            int take = Math.min(BLOCK - bufferLength, length);
            System.arraycopy(data, pos, buffer, bufferLength, take);
            bufferLength += take;
            pos += take;
            if (bufferLength < BLOCK) {
                return this;
            }
            compress(buffer, 0);
            bufferLength = 0;
        }
        while (end - pos >= BLOCK) {
            compress(data, pos);
            pos += BLOCK;
        }
        int rest = end - pos;
        System.arraycopy(data, pos, buffer, 0, rest);
        bufferLength = rest;
        return this;
    }

    /** Finishes the hash and returns the 20-byte digest; this instance is then reset. */
    public byte[] digest() {
        long bitLength = byteCount << 3;
        // Padding: a single 1 bit, zeros up to 56 mod 64, then the message length in bits, little-endian.
        buffer[bufferLength++] = (byte) 0x80;
        if (bufferLength > BLOCK - 8) {
            Arrays.fill(buffer, bufferLength, BLOCK, (byte) 0);
            compress(buffer, 0);
            bufferLength = 0;
        }
        Arrays.fill(buffer, bufferLength, BLOCK - 8, (byte) 0);
        for (int i = 0; i < 8; i++) {
            buffer[BLOCK - 8 + i] = (byte) (bitLength >>> (8 * i));
        }
        compress(buffer, 0);
        byte[] out = new byte[DIGEST_LENGTH];
        for (int i = 0; i < 5; i++) {
            int v = h[i];
            out[4 * i] = (byte) v;
            out[4 * i + 1] = (byte) (v >>> 8);
            out[4 * i + 2] = (byte) (v >>> 16);
            out[4 * i + 3] = (byte) (v >>> 24);
        }
        reset();
        return out;
    }

    private static int f(int round, int b, int c, int d) {
        switch (round) {
            case 0:
                return b ^ c ^ d;
            case 1:
                return (b & c) | (~b & d);
            case 2:
                return (b | ~c) ^ d;
            case 3:
                return (b & d) | (c & ~d);
            default:
                return b ^ (c | ~d);
        }
    }

    private void compress(byte[] block, int off) {
        for (int i = 0; i < 16; i++) {
            int p = off + 4 * i;
            x[i] = (block[p] & 0xFF) | (block[p + 1] & 0xFF) << 8 | (block[p + 2] & 0xFF) << 16
                | (block[p + 3] & 0xFF) << 24;
        }
        int al = h[0], bl = h[1], cl = h[2], dl = h[3], el = h[4];
        int ar = al, br = bl, cr = cl, dr = dl, er = el;
        for (int j = 0; j < 80; j++) {
            int round = j >>> 4;
            int t = Integer.rotateLeft(al + f(round, bl, cl, dl) + x[RL[j]] + KL[round], SL[j]) + el;
            al = el;
            el = dl;
            dl = Integer.rotateLeft(cl, 10);
            cl = bl;
            bl = t;
            t = Integer.rotateLeft(ar + f(4 - round, br, cr, dr) + x[RR[j]] + KR[round], SR[j]) + er;
            ar = er;
            er = dr;
            dr = Integer.rotateLeft(cr, 10);
            cr = br;
            br = t;
        }
        int t = h[1] + cl + dr;
        h[1] = h[2] + dl + er;
        h[2] = h[3] + el + ar;
        h[3] = h[4] + al + br;
        h[4] = h[0] + bl + cr;
        h[0] = t;
    }
}
