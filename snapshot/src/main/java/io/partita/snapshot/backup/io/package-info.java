/**
 * The block container shared by backup data and index files (internal to the backup library).
 *
 * <p>A file is a header, a sequence of blocks and a trailer. Each block holds whole entries, is LZ4-compressed
 * when that helps, and carries a CRC32C over its header and payload, so a flipped byte is detected and located
 * (block number and byte offset) before anything is decompressed. The trailer holds the entry and block counts,
 * so a truncated file is never mistaken for a shorter complete one.
 *
 * <pre>
 * header : magic "PTBK" u32 | version u8 | kind u8 | group u32 | crc32c(previous 10 bytes) u32
 * block  : rawLength u32 (&gt; 0) | storedLength u32 | entries u32 | codec u8 (0 raw, 1 lz4)
 *          | crc32c(13 header bytes + payload) u32 | payload
 * trailer: 0 u32 | entries u64 | blocks u64 | crc32c(previous 20 bytes) u32, then end of file
 * </pre>
 */
package io.partita.snapshot.backup.io;
