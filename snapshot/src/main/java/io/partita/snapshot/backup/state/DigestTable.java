package io.partita.snapshot.backup.state;

import io.partita.snapshot.backup.io.DataEntries;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A packed table of (digest, record hash) pairs of one namespace: 28 bytes per record in one array, sortable by
 * digest (unsigned bytes) and searchable once sorted. Not thread-safe.
 */
public final class DigestTable {
    private static final int DIGEST = DataEntries.DIGEST_BYTES;
    private static final int STRIDE = DIGEST + 8;

    private byte[] data = new byte[STRIDE * 256];
    private int size;
    private boolean sorted = true;

    /** Adds a pair; {@code digest} is read at {@code offset}. */
    public void add(byte[] digest, int offset, long hash) {
        if (size * STRIDE == data.length) {
            if (data.length > Integer.MAX_VALUE / 2) {
                throw new IllegalStateException("more than " + size + " records in one namespace of one group");
            }
            data = Arrays.copyOf(data, data.length * 2);
        }
        int at = size * STRIDE;
        System.arraycopy(digest, offset, data, at, DIGEST);
        putHash(at, hash);
        // Records usually arrive in digest order (a scan of the store): then sorting is free.
        if (sorted && size > 0 && compare(size - 1, size) >= 0) {
            sorted = false;
        }
        size++;
    }

    /** Number of pairs. */
    public int size() {
        return size;
    }

    /**
     * Sorts by digest.
     *
     * @throws IllegalStateException when a digest was added twice (the caller put the same record twice)
     */
    public void sort() {
        if (!sorted) {
            heapSort();
            sorted = true;
        }
        for (int i = 1; i < size; i++) {
            if (compare(i - 1, i) == 0) {
                throw new IllegalStateException("record digest " + HexFormat.of().formatHex(data, i * STRIDE,
                        i * STRIDE + DIGEST) + " was put twice; put each live record of a group exactly once");
            }
        }
    }

    /** Whether the pairs are in strictly increasing digest order (as an index file must hold them). */
    public boolean isStrictlySorted() {
        for (int i = 1; i < size; i++) {
            if (compare(i - 1, i) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Binary search in a sorted table.
     *
     * @return the position of {@code digest} (read at {@code offset}), or -1
     */
    public int find(byte[] digest, int offset) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int at = mid * STRIDE;
            int c = Arrays.compareUnsigned(data, at, at + DIGEST, digest, offset, offset + DIGEST);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The record hash at position {@code i}. */
    public long hash(int i) {
        int at = i * STRIDE + DIGEST;
        long h = 0;
        for (int k = 0; k < 8; k++) {
            h = (h << 8) | (data[at + k] & 0xFF);
        }
        return h;
    }

    /** The array holding the digests; position {@code i}'s digest starts at {@link #digestOffset(int)}. */
    public byte[] digestArray() {
        return data;
    }

    /** Offset of position {@code i}'s digest in {@link #digestArray()}. */
    public int digestOffset(int i) {
        return i * STRIDE;
    }

    private void putHash(int at, long hash) {
        for (int k = 7; k >= 0; k--) {
            data[at + DIGEST + k] = (byte) hash;
            hash >>>= 8;
        }
    }

    private int compare(int i, int j) {
        int a = i * STRIDE;
        int b = j * STRIDE;
        return Arrays.compareUnsigned(data, a, a + DIGEST, data, b, b + DIGEST);
    }

    // In place and without recursion: the table may hold millions of entries and must not be copied.
    private void heapSort() {
        byte[] tmp = new byte[STRIDE];
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i, size, tmp);
        }
        for (int end = size - 1; end > 0; end--) {
            swap(0, end, tmp);
            siftDown(0, end, tmp);
        }
    }

    private void siftDown(int root, int end, byte[] tmp) {
        while (true) {
            int child = 2 * root + 1;
            if (child >= end) {
                return;
            }
            if (child + 1 < end && compare(child, child + 1) < 0) {
                child++;
            }
            if (compare(root, child) >= 0) {
                return;
            }
            swap(root, child, tmp);
            root = child;
        }
    }

    private void swap(int i, int j, byte[] tmp) {
        int a = i * STRIDE;
        int b = j * STRIDE;
        System.arraycopy(data, a, tmp, 0, STRIDE);
        System.arraycopy(data, b, data, a, STRIDE);
        System.arraycopy(tmp, 0, data, b, STRIDE);
    }
}
