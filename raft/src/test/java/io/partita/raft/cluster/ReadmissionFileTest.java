package io.partita.raft.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmissionFileTest {
    @TempDir
    Path dir;

    /** Version 1 of the format, byte for byte: a node started by a later version must still read it. */
    @Test
    void goldenBytes() throws IOException {
        byte[] golden = "partita-readmission 1\nmeta\n0\n7\n".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(golden, ReadmissionFile.encode(new TreeSet<>(List.of(7, ReadmissionFile.META, 0))));
        Files.write(dir.resolve(ReadmissionFile.FILE_NAME), golden);
        assertEquals(new TreeSet<>(List.of(ReadmissionFile.META, 0, 7)), new ReadmissionFile(dir).load());
    }

    @Test
    void savingTheEmptySetRemovesTheFile() throws IOException {
        ReadmissionFile file = new ReadmissionFile(dir);
        assertTrue(file.load().isEmpty());
        file.save(new TreeSet<>(List.of(3)));
        assertTrue(Files.exists(dir.resolve(ReadmissionFile.FILE_NAME)));
        file.save(new TreeSet<>());
        assertFalse(Files.exists(dir.resolve(ReadmissionFile.FILE_NAME)));
    }

    @Test
    void aFileOfAnotherFormatIsRefusedRatherThanReadAsNothingPending() throws IOException {
        Files.writeString(dir.resolve(ReadmissionFile.FILE_NAME), "partita-readmission 2\n0\n");
        IOException e = assertThrows(IOException.class, () -> new ReadmissionFile(dir).load());
        assertTrue(e.getMessage().contains("does not start with 'partita-readmission 1'"), e.getMessage());
        Files.writeString(dir.resolve(ReadmissionFile.FILE_NAME), "partita-readmission 1\nseven\n");
        e = assertThrows(IOException.class, () -> new ReadmissionFile(dir).load());
        assertTrue(e.getMessage().contains("'seven' is neither a group index nor 'meta'"), e.getMessage());
    }
}
