package io.partita.snapshot.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.snapshot.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFormatTest {
    @TempDir
    Path root;

    @Test
    void manifestRoundTrips() throws IOException {
        SnapshotManifest m = SnapshotManifest.of(7, 3, 12_345, 99,
                List.of(new SnapshotFile("000001.sst", 10, 0xCAFEBABEL), new SnapshotFile("000002.sst", 5, 1)));
        SnapshotManifest back = SnapshotManifest.decode(m.encode(), root.resolve("x"));
        assertEquals(m, back);
        assertEquals(15, back.byteSize());
    }

    @Test
    void editedManifestIsRejected() {
        byte[] bytes = SnapshotManifest.of(1, 1, 10, 0, List.of()).encode();
        String edited = new String(bytes, StandardCharsets.UTF_8).replace("index=10", "index=11");
        assertThrows(CorruptSnapshotException.class,
                () -> SnapshotManifest.decode(edited.getBytes(StandardCharsets.UTF_8), root));
    }

    @Test
    void committedSnapshotIsLatestAndVerifies() throws IOException {
        SnapshotDirectory dir = new SnapshotDirectory(root);
        StoredSnapshot older = stage(dir, 1, 100);
        StoredSnapshot newer = stage(dir, 2, 200);
        assertEquals(newer.dir(), dir.latest().orElseThrow().dir());
        assertEquals(200, SnapshotManifest.readVerified(newer.dir()).index());
        dir.prune(1);
        assertFalse(Files.exists(older.dir()));
        assertTrue(Files.exists(newer.dir()));
    }

    @Test
    void flippedByteNamesTheFile() throws IOException {
        StoredSnapshot s = stage(new SnapshotDirectory(root), 1, 100);
        Path victim = s.dataFiles().get(1);
        byte[] bytes = Files.readAllBytes(victim);
        bytes[3] ^= 0x01;
        Files.write(victim, bytes);
        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class,
                () -> SnapshotManifest.readVerified(s.dir()));
        assertEquals(victim, e.file());
    }

    @Test
    void missingFileNamesTheFile() throws IOException {
        StoredSnapshot s = stage(new SnapshotDirectory(root), 1, 100);
        Path victim = s.dataFiles().get(0);
        Files.delete(victim);
        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class,
                () -> SnapshotManifest.readVerified(s.dir()));
        assertEquals(victim, e.file());
    }

    @Test
    void halfWrittenSnapshotsAreIgnored() throws IOException {
        SnapshotDirectory dir = new SnapshotDirectory(root);
        StoredSnapshot complete = stage(dir, 1, 100);
        // A crash before the rename leaves a staging directory; a final-looking directory without manifest (or with
        // a torn one) must not count either.
        Path staging = dir.newStaging();
        Files.write(staging.resolve("000001.sst"), new byte[] {1, 2, 3});
        Path noManifest = Files.createDirectory(root.resolve("snapshot-2-200"));
        Files.write(noManifest.resolve("000001.sst"), new byte[] {1});
        Path torn = Files.createDirectory(root.resolve("snapshot-3-300"));
        byte[] m = SnapshotManifest.of(1, 3, 300, 0, List.of()).encode();
        Files.write(torn.resolve(SnapshotManifest.FILE_NAME), java.util.Arrays.copyOf(m, m.length / 2));

        assertEquals(complete.dir(), dir.latest().orElseThrow().dir());
        new SnapshotDirectory(root); // reopening (start-up) clears staging
        assertFalse(Files.exists(staging));
    }

    @Test
    void pinnedSnapshotSurvivesPruning() throws IOException {
        SnapshotDirectory dir = new SnapshotDirectory(root);
        StoredSnapshot old = stage(dir, 1, 100);
        stage(dir, 1, 200);
        try (SnapshotDirectory.Pin pin = dir.pin(old)) {
            dir.prune(1);
            assertTrue(Files.exists(old.dir()));
        }
        dir.prune(1);
        assertFalse(Files.exists(old.dir()));
    }

    private static StoredSnapshot stage(SnapshotDirectory dir, long term, long index) throws IOException {
        Path staging = dir.newStaging();
        List<SnapshotFile> files = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path f = staging.resolve("00000" + i + ".sst");
            Files.write(f, ("data " + i + " of " + index).getBytes(StandardCharsets.UTF_8));
            files.add(new SnapshotFile(f.getFileName().toString(), Files.size(f), DurableFiles.crc32c(f)));
        }
        return dir.commit(staging, SnapshotManifest.of(4, term, index, 2, files));
    }
}
