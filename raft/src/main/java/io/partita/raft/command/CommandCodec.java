package io.partita.raft.command;

import com.google.protobuf.InvalidProtocolBufferException;
import io.partita.raft.command.proto.CommandBatch;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Encodes a {@link CommandBatch} as a Raft log entry: Protobuf, then LZ4 block compression.
 *
 * <pre>
 *   [format: 1 byte = 1 (protobuf + LZ4 block)][raw length: 4 bytes BE][LZ4 block]
 * </pre>
 *
 * Decoding uses LZ4's safe decompressor with the declared raw length checked against a cap, so a corrupt entry
 * fails with {@link CorruptCommandException} instead of reading out of bounds or allocating without limit.
 */
public final class CommandCodec {
    static final byte FORMAT_LZ4_PROTOBUF = 1;
    private static final int HEADER_BYTES = 5;
    /** Largest raw batch accepted on decode; well above any configurable batch-max-bytes. */
    static final int MAX_RAW_BYTES = 256 << 20;

    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();

    private CommandCodec() {
    }

    public static byte[] encode(CommandBatch batch) {
        byte[] raw = batch.toByteArray();
        int bound = COMPRESSOR.maxCompressedLength(raw.length);
        byte[] out = new byte[HEADER_BYTES + bound];
        int compressed = COMPRESSOR.compress(raw, 0, raw.length, out, HEADER_BYTES, bound);
        ByteBuffer.wrap(out).put(FORMAT_LZ4_PROTOBUF).putInt(raw.length);
        return java.util.Arrays.copyOf(out, HEADER_BYTES + compressed);
    }

    public static CommandBatch decode(ByteBuffer entry) {
        ByteBuffer in = entry.duplicate();
        if (in.remaining() < HEADER_BYTES) {
            throw new CorruptCommandException("log entry of " + in.remaining() + " bytes is shorter than its header");
        }
        byte format = in.get();
        if (format != FORMAT_LZ4_PROTOBUF) {
            throw new CorruptCommandException("unknown log entry format " + format);
        }
        int rawLength = in.getInt();
        if (rawLength < 0 || rawLength > MAX_RAW_BYTES) {
            throw new CorruptCommandException("log entry declares " + rawLength + " raw bytes");
        }
        byte[] raw = new byte[rawLength];
        try {
            int produced = DECOMPRESSOR.decompress(in, in.position(), in.remaining(), ByteBuffer.wrap(raw), 0, rawLength);
            if (produced != rawLength) {
                throw new CorruptCommandException("log entry decompressed to " + produced + " bytes, header says "
                        + rawLength);
            }
            return CommandBatch.parseFrom(raw);
        } catch (LZ4Exception e) {
            throw new CorruptCommandException("log entry is not valid LZ4: " + e.getMessage());
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptCommandException("log entry is not a valid command batch: " + e.getMessage());
        }
    }

    /** Size of the batch before compression, read from the entry header (for metrics and tests). */
    public static int rawLength(ByteBuffer entry) {
        return entry.duplicate().position(entry.position() + 1).getInt();
    }
}
