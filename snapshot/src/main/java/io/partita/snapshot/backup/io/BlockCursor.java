package io.partita.snapshot.backup.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The decoded entries of one block, read field by field in the order they were written. Bounds are checked:
 * a block whose entries do not fill it exactly is reported as corrupt.
 */
public final class BlockCursor {
    private final Path file;
    private final long blockNumber;
    private final long offset;
    private final byte[] buf;
    private final int limit;
    private final int entries;
    private int pos;
    private String lastString = "";
    private byte[] lastUtf8 = new byte[0];

    BlockCursor(Path file, long blockNumber, long offset, byte[] buf, int limit, int entries) {
        this.file = file;
        this.blockNumber = blockNumber;
        this.offset = offset;
        this.buf = buf;
        this.limit = limit;
        this.entries = entries;
    }

    /** Entries the block header announces. */
    public int entries() {
        return entries;
    }

    /** The buffer holding the block (valid until the next block is read). */
    public byte[] buffer() {
        return buf;
    }

    /** Position of the next unread byte in {@link #buffer()}. */
    public int position() {
        return pos;
    }

    /** Reads an unsigned byte. */
    public int readByte() throws CorruptFileException {
        need(1);
        return buf[pos++] & 0xFF;
    }

    /** Reads a big-endian int. */
    public int readInt() throws CorruptFileException {
        need(4);
        int v = Bytes.getInt(buf, pos);
        pos += 4;
        return v;
    }

    /** Reads a big-endian long. */
    public long readLong() throws CorruptFileException {
        need(8);
        long v = Bytes.getLong(buf, pos);
        pos += 8;
        return v;
    }

    /** Reads {@code len} bytes into a new array. */
    public byte[] readBytes(int len) throws CorruptFileException {
        if (len < 0) {
            throw corrupt("negative length " + len);
        }
        need(len);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return b;
    }

    /** Skips {@code len} bytes (after reading them in place through {@link #buffer()}). */
    public void skip(int len) throws CorruptFileException {
        if (len < 0) {
            throw corrupt("negative length " + len);
        }
        need(len);
        pos += len;
    }

    /** Reads a string written by {@link BlockFileWriter#writeString(String)}. */
    public String readString() throws CorruptFileException {
        need(2);
        int len = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        need(len);
        // Entries repeat the same namespace and set: reuse the previous String when the bytes match.
        if (!Arrays.equals(buf, pos, pos + len, lastUtf8, 0, lastUtf8.length)) {
            lastUtf8 = Arrays.copyOfRange(buf, pos, pos + len);
            lastString = new String(lastUtf8, StandardCharsets.UTF_8);
        }
        pos += len;
        return lastString;
    }

    /** Whether bytes remain in the block. */
    public boolean hasRemaining() {
        return pos < limit;
    }

    /** Fails unless the entries consumed exactly filled the block. */
    public void checkFullyRead(int entriesRead) throws CorruptFileException {
        if (pos != limit || entriesRead != entries) {
            throw corrupt("holds " + entriesRead + " entries in " + pos + " of " + limit
                    + " bytes, but its header announces " + entries + " entries");
        }
    }

    /** An error naming this block, for problems found while decoding entries. */
    public CorruptFileException corrupt(String what) {
        return new CorruptFileException(file, "block " + blockNumber + " (byte offset " + offset + "): " + what);
    }

    private void need(int n) throws CorruptFileException {
        if (limit - pos < n) {
            throw corrupt("an entry runs past the end of the block");
        }
    }
}
