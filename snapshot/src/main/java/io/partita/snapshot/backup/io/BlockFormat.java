package io.partita.snapshot.backup.io;

/** Constants of the block container (layout in the package documentation). */
final class BlockFormat {
    static final int MAGIC = 0x5054424B; // "PTBK"
    static final int VERSION = 1;
    static final int HEADER_BYTES = 14;
    static final int BLOCK_HEADER_BYTES = 13;
    static final int TRAILER_BYTES = 24;
    static final int CODEC_RAW = 0;
    static final int CODEC_LZ4 = 1;
    /** Raw bytes gathered before a block is cut; large enough to amortise headers, small enough to locate damage. */
    static final int TARGET_BLOCK_BYTES = 256 * 1024;
    /** Upper bound accepted when reading, so a damaged length field cannot ask for gigabytes. */
    static final int MAX_BLOCK_BYTES = 256 * 1024 * 1024;

    private BlockFormat() {
    }
}
