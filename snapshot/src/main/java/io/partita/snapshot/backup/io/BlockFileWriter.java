package io.partita.snapshot.backup.io;

import static io.partita.snapshot.backup.io.BlockFormat.BLOCK_HEADER_BYTES;
import static io.partita.snapshot.backup.io.BlockFormat.CODEC_LZ4;
import static io.partita.snapshot.backup.io.BlockFormat.CODEC_RAW;
import static io.partita.snapshot.backup.io.BlockFormat.HEADER_BYTES;
import static io.partita.snapshot.backup.io.BlockFormat.TARGET_BLOCK_BYTES;
import static io.partita.snapshot.backup.io.BlockFormat.TRAILER_BYTES;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Writes one block file: entries are appended field by field and closed with {@link #endEntry()}; a block is cut
 * once it holds {@value BlockFormat#TARGET_BLOCK_BYTES} raw bytes (entries never span blocks). Not thread-safe: one
 * writer per thread.
 */
public final class BlockFileWriter implements Closeable {
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();

    private final FileChannel channel;
    private final CRC32C fileCrc = new CRC32C();
    private final CRC32C blockCrc = new CRC32C();
    private final byte[] blockHeader = new byte[BLOCK_HEADER_BYTES];
    private final Utf8Cache strings = new Utf8Cache();
    private byte[] block = new byte[TARGET_BLOCK_BYTES + 4096];
    private byte[] compressed = new byte[COMPRESSOR.maxCompressedLength(block.length)];
    private int pos;
    private int blockEntries;
    private long entries;
    private long blocks;
    private long rawBytes;
    private long size;
    private boolean finished;

    private BlockFileWriter(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Creates (or truncates) {@code path} and writes the file header.
     *
     * @param path the file to write
     * @param kind what the file holds
     * @param group the Raft group whose data it holds
     * @return a writer positioned at the first entry
     * @throws IOException when the file cannot be created
     */
    public static BlockFileWriter create(Path path, FileKind kind, int group) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        BlockFileWriter writer = new BlockFileWriter(channel);
        try {
            byte[] header = new byte[HEADER_BYTES];
            Bytes.putInt(header, 0, BlockFormat.MAGIC);
            header[4] = (byte) BlockFormat.VERSION;
            header[5] = (byte) kind.code();
            Bytes.putInt(header, 6, group);
            Bytes.putInt(header, 10, crc(header, 0, 10));
            writer.write(header, 0, header.length);
            return writer;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Appends one unsigned byte to the current entry. */
    public void writeByte(int v) {
        ensure(1);
        block[pos++] = (byte) v;
    }

    /** Appends a big-endian int to the current entry. */
    public void writeInt(int v) {
        ensure(4);
        Bytes.putInt(block, pos, v);
        pos += 4;
    }

    /** Appends a big-endian long to the current entry. */
    public void writeLong(long v) {
        ensure(8);
        Bytes.putLong(block, pos, v);
        pos += 8;
    }

    /** Appends raw bytes to the current entry (the reader must know their length). */
    public void writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, block, pos, len);
        pos += len;
    }

    /** Appends a short string: unsigned 16-bit UTF-8 length, then the bytes. */
    public void writeString(String s) {
        byte[] utf8 = strings.encode(s);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("string longer than 65535 UTF-8 bytes: " + s.substring(0, 40) + "...");
        }
        ensure(2 + utf8.length);
        block[pos++] = (byte) (utf8.length >>> 8);
        block[pos++] = (byte) utf8.length;
        System.arraycopy(utf8, 0, block, pos, utf8.length);
        pos += utf8.length;
    }

    /** Closes the current entry; cuts a block when enough bytes have gathered. */
    public void endEntry() throws IOException {
        blockEntries++;
        entries++;
        if (pos >= TARGET_BLOCK_BYTES) {
            flushBlock();
        }
    }

    /** Entries closed so far. */
    public long entries() {
        return entries;
    }

    /** Uncompressed bytes of the entries so far. */
    public long rawBytes() {
        return rawBytes + pos;
    }

    /** Bytes written to the file so far (the current block not yet included). */
    public long bytesWritten() {
        return size;
    }

    /**
     * Writes the last block and the trailer, then fsyncs and closes the file.
     *
     * @return what the file holds, with its size and CRC32C
     * @throws IOException when writing or syncing fails
     */
    public FileStats finish() throws IOException {
        if (pos > 0) {
            flushBlock();
        }
        byte[] trailer = new byte[TRAILER_BYTES];
        Bytes.putLong(trailer, 4, entries);
        Bytes.putLong(trailer, 12, blocks);
        Bytes.putInt(trailer, 20, crc(trailer, 0, 20));
        write(trailer, 0, trailer.length);
        channel.force(true);
        channel.close();
        finished = true;
        return new FileStats(size, fileCrc.getValue(), entries, blocks, rawBytes);
    }

    /** Closes the file; a file not {@link #finish() finished} is incomplete and must be discarded by the caller. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            channel.close();
        }
    }

    private void ensure(int extra) {
        if (pos + extra > block.length) {
            // One entry bigger than the target block: grow so it stays whole.
            block = Arrays.copyOf(block, Math.max(block.length * 2, pos + extra));
            compressed = new byte[COMPRESSOR.maxCompressedLength(block.length)];
        }
    }

    private void flushBlock() throws IOException {
        int stored = COMPRESSOR.compress(block, 0, pos, compressed, 0, compressed.length);
        boolean lz4 = stored < pos;
        byte[] payload = lz4 ? compressed : block;
        int payloadLength = lz4 ? stored : pos;
        Bytes.putInt(blockHeader, 0, pos);
        Bytes.putInt(blockHeader, 4, payloadLength);
        Bytes.putInt(blockHeader, 8, blockEntries);
        blockHeader[12] = (byte) (lz4 ? CODEC_LZ4 : CODEC_RAW);
        blockCrc.reset();
        blockCrc.update(blockHeader, 0, 13);
        blockCrc.update(payload, 0, payloadLength);
        byte[] headerWithCrc = Arrays.copyOf(blockHeader, BLOCK_HEADER_BYTES + 4);
        Bytes.putInt(headerWithCrc, BLOCK_HEADER_BYTES, (int) blockCrc.getValue());
        write(headerWithCrc, 0, headerWithCrc.length);
        write(payload, 0, payloadLength);
        rawBytes += pos;
        blocks++;
        pos = 0;
        blockEntries = 0;
    }

    private void write(byte[] b, int off, int len) throws IOException {
        fileCrc.update(b, off, len);
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        size += len;
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    /** Namespaces and sets repeat on every entry: keep their UTF-8 form instead of encoding each time. */
    private static final class Utf8Cache {
        private final String[] keys = new String[4];
        private final byte[][] values = new byte[4][];
        private int next;

        byte[] encode(String s) {
            for (int i = 0; i < keys.length; i++) {
                if (s.equals(keys[i])) {
                    return values[i];
                }
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            keys[next] = s;
            values[next] = utf8;
            next = (next + 1) % keys.length;
            return utf8;
        }
    }
}
