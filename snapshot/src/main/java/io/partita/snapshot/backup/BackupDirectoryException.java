package io.partita.snapshot.backup;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A directory {@link BackupWriter#open(Path, BackupSpec)} refuses to write into: it holds a complete backup, an
 * unfinished backup of another kind, or unrelated files. The message says what to do.
 */
public final class BackupDirectoryException extends IOException {
    private final Path dir;

    /**
     * @param dir the refused directory
     * @param message why, and what to do
     */
    public BackupDirectoryException(Path dir, String message) {
        super(message);
        this.dir = dir;
    }

    /** The refused directory. */
    public Path dir() {
        return dir;
    }
}
