package io.partita.snapshot.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File operations that survive a crash, for every module that keeps state on disk.
 *
 * <pre>{@code
 * DurableFiles.writeAtomically(dir.resolve("MANIFEST"), bytes);               // readers see the old file or the new
 * DurableFiles.writeAtomically(keyFile, pem, DurableFiles.Access.OWNER_ONLY); // mode 0600 from its creation on
 *
 * DurableFiles.fsync(partialA);                    // a file written through other means
 * DurableFiles.rename(partialA, finalA);           // several renames ...
 * DurableFiles.rename(partialB, finalB);
 * DurableFiles.fsyncDirectory(dir);                // ... made durable by one directory fsync
 * }</pre>
 *
 * <p>A write is durable only once both the file's bytes and the directory entry naming it are on disk, hence the
 * fsync of the file and then of its directory. One writer per target at a time: the temporary file has a fixed name.
 */
public final class DurableFiles {
    private static final Logger LOG = LoggerFactory.getLogger(DurableFiles.class);
    private static final int CRC_BUFFER = 1 << 20;

    /** Who may read a file {@link #writeAtomically(Path, byte[], Access)} writes (before the umask applies). */
    public enum Access {
        /** {@code rw-r--r--}: manifests, plans, configuration, certificates. */
        PUBLIC("rw-r--r--"),
        /** {@code rw-------}: secrets such as private keys. */
        OWNER_ONLY("rw-------");

        private final String mode;

        Access(String mode) {
            this.mode = mode;
        }
    }

    private DurableFiles() {
    }

    /** {@link #writeAtomically(Path, byte[], Access)} with {@link Access#PUBLIC}. */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        writeAtomically(target, content, Access.PUBLIC);
    }

    /**
     * Replaces {@code target} with {@code content} so that a reader, also after a crash, sees the old file or the
     * whole new one: the bytes go to {@code .<name>.tmp} in the same directory, are fsynced, the temporary file is
     * renamed over the target and the directory fsynced. The directory must exist. If the write fails, the
     * temporary file is removed and the target left as it was.
     *
     * <p>The temporary name starts with a dot, like no file the snapshot and backup formats list (their data file
     * names may not), and ends in {@code .tmp}; a crash's leftover is replaced by the next write.
     *
     * <p>The temporary file is created with its final permissions, so a secret is never readable by others, not even
     * between creation and a later chmod. A file system without POSIX permissions (Windows) gives it the directory's
     * defaults. A file system that cannot rename atomically (no local one does within a directory) gets a plain
     * replace.
     *
     * @param target the file to create or replace
     * @param content its new content
     * @param access its permissions when the file system has POSIX permissions
     * @throws IOException if the file cannot be written; the target then still has its old content
     */
    public static void writeAtomically(Path target, byte[] content, Access access) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        Path temp = dir.resolve("." + file.getFileName() + ".tmp");
        try {
            // A leftover from a crash may have other permissions; CREATE_NEW below makes a file with the right ones.
            Files.deleteIfExists(temp);
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try (FileChannel ch = FileChannel.open(temp, options, permissions(dir, access))) {
                writeAll(ch, content);
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        fsyncDirectory(dir);
    }

    private static FileAttribute<?>[] permissions(Path dir, Access access) {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // Windows: no POSIX modes; the file inherits the directory's ACL.
            LOG.debug("{} does not support POSIX permissions; files get the directory's defaults", dir);
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(access.mode))};
    }

    /**
     * Renames {@code from} to {@code to} atomically, replacing {@code to}; the caller fsyncs the directory, once for
     * several renames.
     */
    public static void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Forces a regular file's content to disk, e.g. one another library wrote, before a rename names it. */
    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * Makes the creations, renames and deletions in {@code dir} durable. A platform that cannot open a directory
     * (Windows) is skipped: its renames are durable without this. A failing fsync is thrown.
     */
    public static void fsyncDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            // Read-only: on Linux fsync of a directory descriptor persists its entries.
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            LOG.debug("cannot open directory {} to fsync it: {}", dir, e.toString());
            return;
        }
        try (ch) {
            ch.force(true);
        }
    }

    /** Writes all of {@code content} at the channel's position (one {@code write} may write only a part). */
    public static void writeAll(FileChannel ch, byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
            ch.write(buffer);
        }
    }

    /** CRC32C of a whole file, as the snapshot and backup manifests record it. */
    public static long crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        // Direct: CRC32C.update takes it without a copy, and snapshot and backup files are large.
        ByteBuffer buffer = ByteBuffer.allocateDirect(CRC_BUFFER);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buffer) >= 0) {
                buffer.flip();
                crc.update(buffer);
                buffer.clear();
            }
        }
        return crc.getValue();
    }

    /** Deletes a file or a directory tree if present. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (var walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
