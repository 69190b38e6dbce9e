package io.partita.snapshot.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.partita.snapshot.io.DurableFiles.Access;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

    @Test
    void writeAtomicallyReplacesTheContentAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("MANIFEST");
        DurableFiles.writeAtomically(file, bytes("old"));
        DurableFiles.writeAtomically(file, bytes("new"));
        assertArrayEquals(bytes("new"), Files.readAllBytes(file));
        assertEquals(List.of(file), list(dir), "no temporary file left behind");
    }

    @Test
    void aFailedWriteKeepsTheOldContent(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("MANIFEST");
        DurableFiles.writeAtomically(file, bytes("old"));
        // A non-empty directory where the temporary file goes makes the write fail before the rename.
        Path blocker = Files.createDirectories(dir.resolve(".MANIFEST.tmp").resolve("x"));
        assertThrows(IOException.class, () -> DurableFiles.writeAtomically(file, bytes("new")));
        assertArrayEquals(bytes("old"), Files.readAllBytes(file));
        DurableFiles.deleteTree(blocker.getParent());
        assertEquals(List.of(file), list(dir));
    }

    @Test
    void aCrashLeftoverIsReplaced(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("plan");
        Files.write(dir.resolve(".plan.tmp"), bytes("half a pl"));
        DurableFiles.writeAtomically(file, bytes("plan"));
        assertArrayEquals(bytes("plan"), Files.readAllBytes(file));
        assertEquals(List.of(file), list(dir));
    }

    @Test
    void anOwnerOnlyFileIsCreatedWithMode0600(@TempDir Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path key = dir.resolve("node.key");
        // A leftover temporary file readable by all must not lend its mode to the key.
        Files.write(dir.resolve(".node.key.tmp"), bytes("stale"));
        Files.setPosixFilePermissions(dir.resolve(".node.key.tmp"), PosixFilePermissions.fromString("rw-r--r--"));
        DurableFiles.writeAtomically(key, bytes("secret"), Access.OWNER_ONLY);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
        assertArrayEquals(bytes("secret"), Files.readAllBytes(key));

        Path cert = dir.resolve("node.crt");
        DurableFiles.writeAtomically(cert, bytes("public"), Access.PUBLIC);
        assertFalse(Files.getPosixFilePermissions(cert).contains(PosixFilePermission.GROUP_WRITE));
        assertEquals(List.of(cert, key), list(dir));
    }

    @Test
    void crc32cIsTheCrc32cOfTheFileBytes(@TempDir Path dir) throws IOException {
        byte[] content = bytes("123456789".repeat(200_000)); // spans several reads
        Path file = Files.write(dir.resolve("data"), content);
        CRC32C expected = new CRC32C();
        expected.update(content);
        assertEquals(expected.getValue(), DurableFiles.crc32c(file));
        assertEquals(0xE3069283L, DurableFiles.crc32c(Files.write(dir.resolve("check"), bytes("123456789"))));
    }

    @Test
    void renameAndDeleteTree(@TempDir Path dir) throws IOException {
        Path tree = Files.createDirectories(dir.resolve("a").resolve("b"));
        Path partial = Files.write(tree.resolve("f.partial"), bytes("x"));
        DurableFiles.rename(partial, tree.resolve("f"));
        DurableFiles.fsync(tree.resolve("f"));
        DurableFiles.fsyncDirectory(tree);
        assertEquals(List.of(tree.resolve("f")), list(tree));
        DurableFiles.deleteTree(dir.resolve("a"));
        DurableFiles.deleteTree(dir.resolve("a")); // absent: nothing to do
        assertEquals(List.of(), list(dir));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
