package io.partita.snapshot.backup;

/**
 * One file of a backup, as the manifest records it.
 *
 * @param name path relative to the backup directory, with {@code /} separators
 * @param size bytes
 * @param crc32c CRC32C of the whole file
 */
public record BackupFile(String name, long size, long crc32c) {
}
