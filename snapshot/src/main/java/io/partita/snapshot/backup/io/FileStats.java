package io.partita.snapshot.backup.io;

/**
 * What a finished block file holds.
 *
 * @param size bytes on disk
 * @param crc32c CRC32C of the whole file
 * @param entries entries written
 * @param blocks blocks written
 * @param rawBytes uncompressed bytes of all blocks
 */
public record FileStats(long size, long crc32c, long entries, long blocks, long rawBytes) {
}
