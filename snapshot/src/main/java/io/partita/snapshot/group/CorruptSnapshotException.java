package io.partita.snapshot.group;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A snapshot on disk is incomplete or damaged: a missing or malformed manifest, or a data file that is missing or
 * does not match its listed size or checksum. The message names the file; the snapshot must not be used (take a new
 * one, or fetch it again from the leader).
 */
public final class CorruptSnapshotException extends IOException {
    private final Path file;

    public CorruptSnapshotException(Path file, String problem) {
        super("snapshot file " + file + ": " + problem);
        this.file = file;
    }

    public CorruptSnapshotException(Path file, String problem, Throwable cause) {
        super("snapshot file " + file + ": " + problem, cause);
        this.file = file;
    }

    /** The file found bad. */
    public Path file() {
        return file;
    }
}
