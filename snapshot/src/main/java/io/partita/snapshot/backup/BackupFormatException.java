package io.partita.snapshot.backup;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A backup (or one of its parents) that cannot be trusted: a file is missing, truncated or damaged, the directory
 * holds no complete backup, or a parent link is broken. The message names the file and says what to do.
 */
public final class BackupFormatException extends IOException {
    private final Path file;

    /**
     * @param file the file at fault (or the backup directory)
     * @param message what is wrong and what to do
     */
    public BackupFormatException(Path file, String message) {
        super(message);
        this.file = file;
    }

    /**
     * @param file the file at fault
     * @param message what is wrong and what to do
     * @param cause the underlying error
     */
    public BackupFormatException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file at fault (or the backup directory). */
    public Path file() {
        return file;
    }
}
