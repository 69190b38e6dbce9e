package io.partita.snapshot.group;

/**
 * One data file of a group snapshot, as listed in its manifest.
 *
 * @param name   file name inside the snapshot directory (no path separators)
 * @param size   length in bytes
 * @param crc32c CRC32C of the whole file
 */
public record SnapshotFile(String name, long size, long crc32c) {
    /**
     * @throws IllegalArgumentException if the name is empty, is a path, or the size is negative
     */
    public SnapshotFile {
        requirePlainName(name);
        if (size < 0) {
            throw new IllegalArgumentException("snapshot file " + name + ": negative size " + size);
        }
    }

    /**
     * Checks that {@code name} can name a data file inside a snapshot directory: not empty, no path separator, not
     * hidden, not the manifest (names received over the network must never escape the directory).
     *
     * @throws IllegalArgumentException otherwise
     */
    public static String requirePlainName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")
                || name.equals(SnapshotManifest.FILE_NAME)) {
            throw new IllegalArgumentException("snapshot file name '" + name + "' must be a plain file name");
        }
        return name;
    }
}
