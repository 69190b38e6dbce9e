package io.partita.snapshot.backup.io;

import java.io.IOException;
import java.nio.file.Path;

/** A block file whose bytes do not match their checksums or structure; the message locates the damage. */
public final class CorruptFileException extends IOException {
    private final Path file;

    /**
     * @param file the damaged file
     * @param message where and what (block number, byte offset), without the file name
     */
    public CorruptFileException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }
}
