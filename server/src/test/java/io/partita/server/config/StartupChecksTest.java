package io.partita.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupChecksTest {
    @TempDir
    Path tmp;

    private static String error(Path dataDir) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> StartupChecks.prepareDataDir(NodeConfig.defaults("n1", dataDir), "conf/node.yaml"));
        assertEquals("data-dir", e.keyPath());
        return e.getMessage();
    }

    @Test
    void createsAMissingDataDirAndItsParents() throws IOException {
        Path dir = tmp.resolve("a/b/data");
        assertEquals(dir.toAbsolutePath().normalize(),
                StartupChecks.prepareDataDir(NodeConfig.defaults("n1", dir), "conf/node.yaml"));
        assertTrue(Files.isDirectory(dir));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "the write probe is removed");
        }
        StartupChecks.prepareDataDir(NodeConfig.defaults("n1", dir), null); // existing is fine
    }

    @Test
    void aFileIsNotADataDir() throws IOException {
        Path file = Files.createFile(tmp.resolve("data"));
        assertEquals("conf/node.yaml: data-dir: '" + file + "' exists and is not a directory"
                + " (point data-dir at a directory)", error(file));
    }

    @Test
    void aDataDirUnderAFileCannotBeCreated() throws IOException {
        Path file = Files.createFile(tmp.resolve("file"));
        String message = error(file.resolve("data"));
        assertTrue(message.startsWith("conf/node.yaml: data-dir: '" + file.resolve("data") + "' cannot be created ("),
                message);
        assertTrue(message.endsWith("; create it or choose another data-dir)"), message);
        assertTrue(!message.contains("\n"), message);
    }

    @Test
    void aReadOnlyDirectoryIsNotWritable() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("ro"));
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "needs POSIX permissions");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(dir), "running as root: permissions are not enforced");
            String message = error(dir);
            assertEquals("conf/node.yaml: data-dir: '" + dir + "' is not writable (permission denied;"
                    + " fix its permissions or choose another data-dir)", message);
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aDirectoryNobodyCanWriteIsNotWritable() {
        // /proc/self is a directory even root cannot create files in; covers the probe when tests run as root.
        Path proc = Path.of("/proc/self");
        assumeTrue(Files.isDirectory(proc), "needs Linux /proc");
        String message = error(proc);
        assertTrue(message.startsWith("conf/node.yaml: data-dir: '/proc/self' is not writable ("), message);
        assertTrue(message.endsWith("; fix its permissions or choose another data-dir)"), message);
    }
}
