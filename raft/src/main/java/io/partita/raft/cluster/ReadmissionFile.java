package io.partita.raft.cluster;

import io.partita.snapshot.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The groups this node must still be re-admitted to ({@value #FILE_NAME} in the data directory): replicas whose
 * local state was lost, which must not vote until their group has dropped them and taken them back. Written
 * (atomically, fsynced) before any of that state is touched, and rewritten as each group takes the node back, so a
 * restart resumes where the node stopped and never hosts such a group as a voter in between.
 *
 * <p>Format, version 1 (UTF-8 text, pinned by {@code ReadmissionFileTest}): the line {@code partita-readmission 1},
 * then one line per group: its index, or {@code meta} for the metadata group. No file = nothing pending.
 */
public final class ReadmissionFile {
    public static final String FILE_NAME = "readmission-pending";
    /** Stands for the metadata group in the set of pending groups. */
    public static final int META = -1;
    private static final String HEADER = "partita-readmission 1";

    private final Path file;

    public ReadmissionFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    /** The pending groups ({@link #META} for the metadata group); empty if none. */
    public SortedSet<Integer> load() throws IOException {
        SortedSet<Integer> groups = new TreeSet<>();
        if (!Files.exists(file)) {
            return groups;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + " does not start with '" + HEADER + "'; it is not a file this version of"
                    + " Partita wrote. Move it away only if you know no re-admission is pending (the node would then"
                    + " vote with replicas that lost their state)");
        }
        for (String line : lines.subList(1, lines.size())) {
            String t = line.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                groups.add(t.equals("meta") ? META : Integer.parseInt(t));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": '" + t + "' is neither a group index nor 'meta'", e);
            }
        }
        return groups;
    }

    /** Replaces the pending set; an empty set removes the file. */
    public void save(SortedSet<Integer> groups) throws IOException {
        if (groups.isEmpty()) {
            Files.deleteIfExists(file);
            DurableFiles.fsyncDirectory(file.getParent());
            return;
        }
        DurableFiles.writeAtomically(file, encode(groups));
    }

    static byte[] encode(SortedSet<Integer> groups) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (int g : groups) {
            b.append(g == META ? "meta" : Integer.toString(g)).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
