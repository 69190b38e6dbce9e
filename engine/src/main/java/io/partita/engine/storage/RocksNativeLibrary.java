package io.partita.engine.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.RocksDB;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's JNI library without leaving a copy behind. RocksDB extracts the library (17 MB) from its jar into
 * {@code java.io.tmpdir} under a new name at every JVM start and deletes it only from a JVM shutdown hook, which a
 * node never reaches when it is killed, or when it halts after its own clean shutdown: each start leaked a copy. Once
 * the library is loaded, the process keeps its mapping of the file, so the copy is unlinked right away (Linux: found
 * through {@code /proc/self/maps}; elsewhere it stays for RocksDB's own clean-up).
 */
final class RocksNativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(RocksNativeLibrary.class);

    private RocksNativeLibrary() {
    }

    static void load() {
        RocksDB.loadLibrary();
        for (Path copy : extractedCopies(Path.of("/proc/self/maps"),
                Path.of(System.getProperty("java.io.tmpdir")))) {
            try {
                Files.deleteIfExists(copy);
                LOG.debug("Unlinked RocksDB's extracted JNI library {} (loaded, still mapped)", copy);
            } catch (IOException e) {
                LOG.debug("Cannot unlink RocksDB's extracted JNI library {}", copy, e);
            }
        }
    }

    /** The files named librocksdbjni* in {@code tmpDir} that {@code maps} (a /proc/PID/maps listing) shows mapped. */
    static List<Path> extractedCopies(Path maps, Path tmpDir) {
        List<Path> copies = new ArrayList<>();
        if (!Files.isReadable(maps)) {
            return copies;
        }
        Path dir = tmpDir.toAbsolutePath().normalize();
        try (Stream<String> lines = Files.lines(maps)) {
            lines.forEach(line -> {
                int slash = line.indexOf('/');
                if (slash < 0 || line.endsWith(" (deleted)")) {
                    return;
                }
                Path file = Path.of(line.substring(slash)).normalize();
                if (file.getFileName().toString().startsWith("librocksdbjni") && dir.equals(file.getParent())
                        && !copies.contains(file)) {
                    copies.add(file);
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot read {}", maps, e);
        }
        return copies;
    }
}
