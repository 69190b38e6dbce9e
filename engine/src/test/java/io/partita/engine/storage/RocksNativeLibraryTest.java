package io.partita.engine.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JNI library RocksDB extracts is unlinked once loaded, so no start (killed or halted) leaves a copy. */
class RocksNativeLibraryTest {
    @TempDir
    Path dir;

    @Test
    void findsOnlyMappedCopiesInTheTempDirectory() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path maps = Files.writeString(dir.resolve("maps"), String.join("\n",
                "7f00-7f01 r-xp 00000000 fd:01 1 " + tmp.resolve("librocksdbjni123.so"),
                "7f01-7f02 r--p 00001000 fd:01 1 " + tmp.resolve("librocksdbjni123.so"),
                "7f02-7f03 r-xp 00000000 fd:01 2 " + tmp.resolve("librocksdbjni9.so") + " (deleted)",
                "7f03-7f04 r-xp 00000000 fd:01 3 /usr/lib/librocksdbjni-linux64.so",
                "7f04-7f05 r-xp 00000000 fd:01 4 " + tmp.resolve("libother.so"),
                "7f05-7f06 rw-p 00000000 00:00 0 [heap]", ""));

        assertEquals(List.of(tmp.resolve("librocksdbjni123.so")), RocksNativeLibrary.extractedCopies(maps, tmp));
        assertEquals(List.of(), RocksNativeLibrary.extractedCopies(dir.resolve("absent"), tmp));
    }

    @Test
    void theLoadedLibrarysCopyIsGone() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "no /proc/self/maps on this system");
        RocksNativeLibrary.load();
        boolean mapped = false;
        for (String line : Files.readAllLines(maps)) {
            if (line.contains("librocksdbjni")) {
                mapped = true;
                String path = line.substring(line.indexOf('/')).replace(" (deleted)", "");
                if (path.startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize()
                        .toString())) {
                    assertFalse(Files.exists(Path.of(path)), "still on disk: " + path);
                }
            }
        }
        assertTrue(mapped, "RocksDB's library is loaded");
    }
}
