package io.partita.snapshot.backup.io;

import static io.partita.snapshot.backup.io.BlockFormat.BLOCK_HEADER_BYTES;
import static io.partita.snapshot.backup.io.BlockFormat.CODEC_LZ4;
import static io.partita.snapshot.backup.io.BlockFormat.CODEC_RAW;
import static io.partita.snapshot.backup.io.BlockFormat.HEADER_BYTES;
import static io.partita.snapshot.backup.io.BlockFormat.MAX_BLOCK_BYTES;
import static io.partita.snapshot.backup.io.BlockFormat.TRAILER_BYTES;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Reads a block file front to back, checking the header, every block's CRC32C, the trailer and the whole file's
 * CRC32C. Each problem is a {@link CorruptFileException} that says where it is. Not thread-safe.
 */
public final class BlockFileReader implements Closeable {
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    private static final int READ_BUFFER_BYTES = 1 << 20;

    private final Path path;
    private final InputStream in;
    private final CRC32C fileCrc = new CRC32C();
    private final CRC32C blockCrc = new CRC32C();
    private final byte[] blockHeader = new byte[BLOCK_HEADER_BYTES + 4];
    private byte[] stored = new byte[0];
    private byte[] raw = new byte[0];
    private long offset;
    private long blocks;
    private long entries;
    private long rawBytes;
    private boolean atEnd;

    private BlockFileReader(Path path, InputStream in) {
        this.path = path;
        this.in = in;
    }

    /**
     * Opens {@code path} and checks its header.
     *
     * @param path the file
     * @param kind the kind it must hold
     * @param group the group it must belong to
     * @return a reader positioned at the first block
     * @throws CorruptFileException when the file is missing, or its header is damaged or names another kind/group
     * @throws IOException when reading fails
     */
    public static BlockFileReader open(Path path, FileKind kind, int group) throws IOException {
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(path), READ_BUFFER_BYTES);
        } catch (NoSuchFileException e) {
            throw new CorruptFileException(path, "missing");
        }
        BlockFileReader reader = new BlockFileReader(path, in);
        try {
            reader.readHeader(kind, group);
            return reader;
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * Reads the next block, verifying its checksum.
     *
     * @param decode whether to decompress it (false: only check it, as verification does)
     * @return the block's entries (empty cursor when {@code decode} is false), or null after the trailer
     * @throws CorruptFileException when the block or trailer is damaged or the file is truncated
     * @throws IOException when reading fails
     */
    public BlockCursor nextBlock(boolean decode) throws IOException {
        if (atEnd) {
            return null;
        }
        long blockOffset = offset;
        readFully(blockHeader, 0, 4, "a block header");
        int rawLength = Bytes.getInt(blockHeader, 0);
        if (rawLength == 0) {
            readTrailer(blockOffset);
            return null;
        }
        readFully(blockHeader, 4, blockHeader.length - 4, "a block header");
        int storedLength = Bytes.getInt(blockHeader, 4);
        int blockEntries = Bytes.getInt(blockHeader, 8);
        int codec = blockHeader[12];
        String where = "block " + blocks + " (byte offset " + blockOffset + ")";
        if (rawLength < 0 || rawLength > MAX_BLOCK_BYTES || storedLength < 0 || storedLength > MAX_BLOCK_BYTES
                || blockEntries < 0 || (codec != CODEC_RAW && codec != CODEC_LZ4)
                || (codec == CODEC_RAW && storedLength != rawLength)) {
            throw new CorruptFileException(path, where + ": damaged block header (flipped byte?)");
        }
        if (stored.length < storedLength) {
            stored = new byte[storedLength];
        }
        readFully(stored, 0, storedLength, where);
        blockCrc.reset();
        blockCrc.update(blockHeader, 0, BLOCK_HEADER_BYTES);
        blockCrc.update(stored, 0, storedLength);
        if ((int) blockCrc.getValue() != Bytes.getInt(blockHeader, BLOCK_HEADER_BYTES)) {
            throw new CorruptFileException(path, where + ": checksum mismatch (flipped byte?)");
        }
        blocks++;
        entries += blockEntries;
        rawBytes += rawLength;
        if (!decode) {
            return new BlockCursor(path, blocks - 1, blockOffset, stored, 0, 0);
        }
        byte[] data = stored;
        if (codec == CODEC_LZ4) {
            if (raw.length < rawLength) {
                raw = new byte[rawLength];
            }
            int n;
            try {
                n = DECOMPRESSOR.decompress(stored, 0, storedLength, raw, 0, rawLength);
            } catch (LZ4Exception e) {
                throw new CorruptFileException(path, where + ": LZ4 data does not decompress: " + e.getMessage());
            }
            if (n != rawLength) {
                throw new CorruptFileException(path, where + ": decompresses to " + n + " bytes, not " + rawLength);
            }
            data = raw;
        }
        return new BlockCursor(path, blocks - 1, blockOffset, data, rawLength, blockEntries);
    }

    /** Reads every remaining block without decompressing it; returns what the file holds. */
    public FileStats verifyRemaining() throws IOException {
        while (nextBlock(false) != null) {
            // checksums are checked by nextBlock
        }
        return stats();
    }

    /** What the file holds; only valid once {@link #nextBlock(boolean)} returned null. */
    public FileStats stats() {
        if (!atEnd) {
            throw new IllegalStateException("file not read to its end yet");
        }
        return new FileStats(offset, fileCrc.getValue(), entries, blocks, rawBytes);
    }

    /** The file being read. */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void readHeader(FileKind kind, int group) throws IOException {
        byte[] header = new byte[HEADER_BYTES];
        readFully(header, 0, header.length, "the file header");
        if (Bytes.getInt(header, 0) != BlockFormat.MAGIC) {
            throw new CorruptFileException(path, "not a Partita backup block file (bad magic number)");
        }
        if (BlockFileWriter.crc(header, 0, 10) != Bytes.getInt(header, 10)) {
            throw new CorruptFileException(path, "file header checksum mismatch (flipped byte?)");
        }
        if (header[4] != BlockFormat.VERSION) {
            throw new CorruptFileException(path, "block format version " + header[4] + " is not supported (this "
                    + "build reads version " + BlockFormat.VERSION + "); use a Partita release that wrote it");
        }
        FileKind actualKind = FileKind.ofCode(header[5]);
        int actualGroup = Bytes.getInt(header, 6);
        if (actualKind != kind || actualGroup != group) {
            throw new CorruptFileException(path, "holds " + actualKind + " of group " + actualGroup + ", expected "
                    + kind + " of group " + group + " (file renamed or copied over?)");
        }
    }

    private void readTrailer(long trailerOffset) throws IOException {
        byte[] trailer = new byte[TRAILER_BYTES];
        readFully(trailer, 4, TRAILER_BYTES - 4, "the trailer");
        String where = "trailer (byte offset " + trailerOffset + ")";
        if (BlockFileWriter.crc(trailer, 0, 20) != Bytes.getInt(trailer, 20)) {
            throw new CorruptFileException(path, where + ": checksum mismatch (flipped byte?)");
        }
        long trailerEntries = Bytes.getLong(trailer, 4);
        long trailerBlocks = Bytes.getLong(trailer, 12);
        if (trailerEntries != entries || trailerBlocks != blocks) {
            throw new CorruptFileException(path, where + ": announces " + trailerBlocks + " blocks / "
                    + trailerEntries + " entries but the file holds " + blocks + " / " + entries);
        }
        if (in.read() != -1) {
            throw new CorruptFileException(path, "unexpected bytes after the trailer at byte offset " + offset);
        }
        atEnd = true;
    }

    private void readFully(byte[] b, int off, int len, String what) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                throw new CorruptFileException(path, "truncated at byte " + (offset + done) + " while reading "
                        + what + " (the file is incomplete)");
            }
            done += n;
        }
        fileCrc.update(b, off, len);
        offset += len;
    }
}
