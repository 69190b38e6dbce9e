package io.partita.snapshot.group;

import io.partita.snapshot.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * What a group snapshot holds and how to check it: the group, the Raft (term, index) it covers, record count, and
 * the size and CRC32C of every data file. Stored as {@value #FILE_NAME} in the snapshot directory, written after
 * every data file and atomically, so a directory without a valid manifest is an incomplete snapshot.
 *
 * <p>Encoding: UTF-8 lines {@code key=value}, in a fixed order, ending with {@code manifest-crc32c=} over all bytes
 * before that line; readable by an operator, and a torn or edited manifest is detected.
 *
 * @param formatVersion {@value #FORMAT_VERSION} for snapshots written by this code
 * @param groupIndex    the Raft group (column family {@code group-N}) the snapshot belongs to
 * @param term          Raft term of the last log entry whose effects the snapshot holds
 * @param index         Raft index of that entry
 * @param recordCount   records in the snapshot (meta keys excluded)
 * @param files         the data files, in ingest order
 */
public record SnapshotManifest(int formatVersion, int groupIndex, long term, long index, long recordCount,
                               List<SnapshotFile> files) {
    /** Name of the manifest inside a snapshot directory. */
    public static final String FILE_NAME = "MANIFEST";
    /** The format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final String CHECKSUM_KEY = "manifest-crc32c";

    public SnapshotManifest {
        files = List.copyOf(files);
    }

    /** A manifest in the current format. */
    public static SnapshotManifest of(int groupIndex, long term, long index, long recordCount,
                                      List<SnapshotFile> files) {
        return new SnapshotManifest(FORMAT_VERSION, groupIndex, term, index, recordCount, files);
    }

    /** Total bytes of the data files. */
    public long byteSize() {
        return files.stream().mapToLong(SnapshotFile::size).sum();
    }

    /** The manifest's on-disk encoding. */
    public byte[] encode() {
        StringBuilder s = new StringBuilder();
        line(s, "format-version", formatVersion);
        line(s, "group-index", groupIndex);
        line(s, "term", term);
        line(s, "index", index);
        line(s, "record-count", recordCount);
        line(s, "byte-size", byteSize());
        line(s, "file-count", files.size());
        for (int i = 0; i < files.size(); i++) {
            SnapshotFile f = files.get(i);
            line(s, "file." + i + ".name", f.name());
            line(s, "file." + i + ".size", f.size());
            line(s, "file." + i + ".crc32c", Long.toHexString(f.crc32c()));
        }
        byte[] body = s.toString().getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(body);
        return (s + CHECKSUM_KEY + "=" + Long.toHexString(crc.getValue()) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder s, String key, Object value) {
        s.append(key).append('=').append(value).append('\n');
    }

    /**
     * Decodes a manifest.
     *
     * @param source where the bytes came from, named in errors
     * @throws CorruptSnapshotException if the manifest is torn, edited, malformed or of an unknown format version
     */
    public static SnapshotManifest decode(byte[] bytes, Path source) throws CorruptSnapshotException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int last = text.lastIndexOf(CHECKSUM_KEY + "=");
        if (last < 0 || !text.endsWith("\n")) {
            throw new CorruptSnapshotException(source, "manifest has no checksum line (incomplete write?)");
        }
        CRC32C crc = new CRC32C();
        crc.update(text.substring(0, last).getBytes(StandardCharsets.UTF_8));
        String stated = text.substring(last + CHECKSUM_KEY.length() + 1, text.length() - 1);
        if (!Long.toHexString(crc.getValue()).equals(stated)) {
            throw new CorruptSnapshotException(source, "manifest checksum mismatch (damaged or edited)");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String l : text.substring(0, last).split("\n")) {
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new CorruptSnapshotException(source, "malformed manifest line '" + l + "'");
            }
            fields.put(l.substring(0, eq), l.substring(eq + 1));
        }
        try {
            int version = Integer.parseInt(required(fields, "format-version", source));
            if (version != FORMAT_VERSION) {
                throw new CorruptSnapshotException(source, "format version " + version + " is not supported (this"
                        + " build reads version " + FORMAT_VERSION + "); take a new snapshot with this build");
            }
            int fileCount = Integer.parseInt(required(fields, "file-count", source));
            List<SnapshotFile> files = new ArrayList<>(fileCount);
            for (int i = 0; i < fileCount; i++) {
                files.add(new SnapshotFile(required(fields, "file." + i + ".name", source),
                        Long.parseLong(required(fields, "file." + i + ".size", source)),
                        Long.parseUnsignedLong(required(fields, "file." + i + ".crc32c", source), 16)));
            }
            SnapshotManifest m = new SnapshotManifest(version,
                    Integer.parseInt(required(fields, "group-index", source)),
                    Long.parseLong(required(fields, "term", source)),
                    Long.parseLong(required(fields, "index", source)),
                    Long.parseLong(required(fields, "record-count", source)), files);
            if (m.byteSize() != Long.parseLong(required(fields, "byte-size", source))) {
                throw new CorruptSnapshotException(source, "byte-size does not match the sum of the file sizes");
            }
            return m;
        } catch (NumberFormatException e) {
            throw new CorruptSnapshotException(source, "malformed number in manifest: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CorruptSnapshotException(source, e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> fields, String key, Path source)
            throws CorruptSnapshotException {
        String v = fields.get(key);
        if (v == null) {
            throw new CorruptSnapshotException(source, "manifest lacks '" + key + "'");
        }
        return v;
    }

    /** Writes the manifest into {@code dir} atomically (temporary file, fsync, rename, directory fsync). */
    public void writeTo(Path dir) throws IOException {
        DurableFiles.writeAtomically(dir.resolve(FILE_NAME), encode());
    }

    /**
     * Reads the manifest of {@code dir} and checks every listed file's size and CRC32C.
     *
     * @throws CorruptSnapshotException naming the manifest or the first bad data file
     */
    public static SnapshotManifest readVerified(Path dir) throws IOException {
        SnapshotManifest m = read(dir);
        m.verifyFilesIn(dir);
        return m;
    }

    /**
     * Checks that {@code dir} holds every file this manifest lists, with the listed size and CRC32C (e.g. a
     * snapshot received over the network, before it is committed).
     *
     * @throws CorruptSnapshotException naming the first missing or bad file
     */
    public void verifyFilesIn(Path dir) throws IOException {
        for (SnapshotFile f : files) {
            Path file = dir.resolve(f.name());
            if (!Files.isRegularFile(file)) {
                throw new CorruptSnapshotException(file, "missing");
            }
            long size = Files.size(file);
            if (size != f.size()) {
                throw new CorruptSnapshotException(file, "size " + size + " bytes, manifest says " + f.size());
            }
            if (DurableFiles.crc32c(file) != f.crc32c()) {
                throw new CorruptSnapshotException(file, "CRC32C mismatch (damaged on disk or in transfer)");
            }
        }
    }

    /**
     * Reads and decodes the manifest of {@code dir} without checking the data files.
     *
     * @throws CorruptSnapshotException if it is missing or invalid
     */
    public static SnapshotManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        try {
            return decode(Files.readAllBytes(file), file);
        } catch (NoSuchFileException e) {
            throw new CorruptSnapshotException(file, "missing (the snapshot was not completed)", e);
        }
    }
}
