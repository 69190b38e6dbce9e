package io.partita.snapshot.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of damage is refused by {@link BackupChain#open} and reported by {@link BackupVerifier}, by file. */
class CorruptionTest {
    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void writeBackup() throws Exception {
        SourceState source = new SourceState(2);
        for (int k = 0; k < 2000; k++) {
            source.put("test", "demo", k, 300);
        }
        dir = tmp.resolve("b");
        source.backup(dir, new BackupSpec("cluster-a", 2, null, null, null));
        assertTrue(BackupVerifier.verify(dir).ok());
    }

    @Test
    void aFlippedByteInADataFileIsLocated() throws Exception {
        Path data = dir.resolve("groups/g-00001.dat");
        flipByte(data, Files.size(data) / 2);
        BackupFormatException e = assertRefused(data);
        assertTrue(e.getMessage().matches("(?s).*block \\d+ \\(byte offset \\d+\\): checksum mismatch.*"),
                e.getMessage());
    }

    @Test
    void aFlippedByteInAnIndexFileIsFound() throws Exception {
        Path index = dir.resolve("groups/g-00000.idx");
        flipByte(index, Files.size(index) - 30);
        assertRefused(index);
    }

    @Test
    void aFlippedByteInTheManifestIsFound() throws Exception {
        Path manifest = dir.resolve("manifest.json");
        String json = Files.readString(manifest);
        flipByte(manifest, json.indexOf("\"recordsStored\"") + 20); // a digit of a count: still valid JSON
        BackupFormatException e = assertRefused(manifest);
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        Path index = dir.resolve("groups/g-00001.idx");
        Files.delete(index);
        BackupFormatException e = assertRefused(index);
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsNamed() throws Exception {
        Path data = dir.resolve("groups/g-00000.dat");
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 10);
        }
        BackupFormatException e = assertRefused(data);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void verifyReportsEveryProblemNotJustTheFirst() throws Exception {
        flipByte(dir.resolve("groups/g-00000.dat"), 100);
        Files.delete(dir.resolve("groups/g-00001.idx"));
        VerifyReport report = BackupVerifier.verify(dir);
        assertEquals(List.of(dir.resolve("groups/g-00000.dat"), dir.resolve("groups/g-00001.idx")),
                report.problems().stream().map(VerifyReport.Problem::file).toList());
    }

    @Test
    void aDirectoryWithoutManifestIsNotABackup() throws Exception {
        Files.delete(dir.resolve("manifest.json"));
        BackupFormatException e = assertRefused(dir.resolve("manifest.json"));
        assertTrue(e.getMessage().contains("is not a complete Partita backup"), e.getMessage());
    }

    private BackupFormatException assertRefused(Path badFile) {
        BackupFormatException e = assertThrows(BackupFormatException.class, () -> BackupChain.open(dir));
        assertEquals(badFile, e.file());
        assertTrue(e.getMessage().contains(badFile.toString()), e.getMessage());
        VerifyReport report = BackupVerifier.verify(dir);
        assertFalse(report.ok());
        assertEquals(List.of(badFile), report.problems().stream().map(VerifyReport.Problem::file).toList(),
                report.problems().toString());
        return e;
    }

    static void flipByte(Path file, long offset) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x01);
        }
    }
}
