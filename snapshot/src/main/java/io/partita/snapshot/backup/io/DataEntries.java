package io.partita.snapshot.backup.io;

import java.io.IOException;

/**
 * Encoding of the entries of a data file.
 *
 * <pre>
 * record  : 0 u8 | namespace string | set string | digest 20 bytes | length u32 | record bytes
 * deletion: 1 u8 | namespace string | digest 20 bytes
 * </pre>
 */
public final class DataEntries {
    /** Length of a record digest (RIPEMD-160). */
    public static final int DIGEST_BYTES = 20;
    private static final int RECORD = 0;
    private static final int DELETION = 1;

    private DataEntries() {
    }

    /** Receives the entries of a data file. */
    public interface Visitor {
        /** A record stored by the backup (new or changed, for an incremental). */
        void record(String namespace, String set, byte[] digest, byte[] record) throws IOException;

        /** A record of the parent backup that no longer existed when this backup was taken. */
        void deletion(String namespace, byte[] digest) throws IOException;
    }

    /** Appends a record entry. */
    public static void writeRecord(BlockFileWriter out, String namespace, String set, byte[] digest, byte[] record)
            throws IOException {
        out.writeByte(RECORD);
        out.writeString(namespace);
        out.writeString(set);
        out.writeBytes(digest, 0, DIGEST_BYTES);
        out.writeInt(record.length);
        out.writeBytes(record, 0, record.length);
        out.endEntry();
    }

    /** Appends a deletion entry; {@code digest} is read at {@code offset}. */
    public static void writeDeletion(BlockFileWriter out, String namespace, byte[] digest, int offset)
            throws IOException {
        out.writeByte(DELETION);
        out.writeString(namespace);
        out.writeBytes(digest, offset, DIGEST_BYTES);
        out.endEntry();
    }

    /** Decodes every entry of a block. */
    public static void readBlock(BlockCursor block, Visitor visitor) throws IOException {
        int n = 0;
        while (block.hasRemaining()) {
            int type = block.readByte();
            String namespace = block.readString();
            if (type == RECORD) {
                String set = block.readString();
                byte[] digest = block.readBytes(DIGEST_BYTES);
                byte[] record = block.readBytes(block.readInt());
                visitor.record(namespace, set, digest, record);
            } else if (type == DELETION) {
                visitor.deletion(namespace, block.readBytes(DIGEST_BYTES));
            } else {
                throw block.corrupt("unknown entry type " + type);
            }
            n++;
        }
        block.checkFullyRead(n);
    }

    /** Decodes every entry of a data file (checking every block), then checks the trailer. */
    public static FileStats readFile(BlockFileReader reader, Visitor visitor) throws IOException {
        for (BlockCursor block = reader.nextBlock(true); block != null; block = reader.nextBlock(true)) {
            readBlock(block, visitor);
        }
        return reader.stats();
    }
}
