package io.partita.snapshot.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partita.snapshot.io.DurableFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress of an unfinished backup ({@code progress.journal}): a header line (backup id, start time, spec) and
 * one line per finished group, each line {@code <crc32c> <json>} and fsynced. A line torn by a crash fails its
 * checksum and is ignored, which only means that group is written again.
 */
final class ProgressJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressJournal.class);

    /** The journal's content. */
    record Content(UUID backupId, Instant createdAt, ObjectNode spec, List<GroupSummary> groups) {
    }

    private final FileChannel channel;

    private ProgressJournal(FileChannel channel) {
        this.channel = channel;
    }

    /** The spec as the journal stores it; equal specs give equal nodes. */
    static ObjectNode specJson(BackupSpec spec) {
        ObjectNode n = ManifestCodec.mapper().createObjectNode();
        n.put("clusterId", spec.clusterId());
        n.put("sourceGroupCount", spec.sourceGroupCount());
        n.put("namespaceFilter", spec.namespaceFilter());
        n.put("setFilter", spec.setFilter());
        BackupManifest parent = spec.parent() == null ? null : spec.parent().latest();
        n.put("parentBackupId", parent == null ? null : parent.backupId().toString());
        n.put("parentChecksum", parent == null ? null : parent.checksum());
        return n;
    }

    /** Creates a journal holding only its header. */
    static ProgressJournal create(Path path, UUID backupId, Instant createdAt, BackupSpec spec) throws IOException {
        ObjectNode header = ManifestCodec.mapper().createObjectNode();
        header.put("backupId", backupId.toString());
        header.put("createdAt", createdAt.toString());
        header.set("spec", specJson(spec));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ProgressJournal journal = new ProgressJournal(ch);
        journal.appendLine(header);
        DurableFiles.fsyncDirectory(path.getParent());
        return journal;
    }

    /** Opens an existing journal for appending. */
    static ProgressJournal reopen(Path path) throws IOException {
        return new ProgressJournal(FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    }

    /**
     * Reads a journal.
     *
     * @throws BackupDirectoryException when its header is unreadable
     */
    static Content read(Path path) throws IOException {
        List<String> lines = List.of(new String(Files.readAllBytes(path), StandardCharsets.UTF_8).split("\n", -1));
        JsonNode header = lines.isEmpty() ? null : parseLine(lines.get(0));
        if (header == null || !(header.get("spec") instanceof ObjectNode spec)) {
            throw new BackupDirectoryException(path.getParent(), path + " is damaged (unreadable header); delete "
                    + path.getParent() + " and start the backup again");
        }
        List<GroupSummary> groups = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                continue;
            }
            JsonNode line = parseLine(lines.get(i));
            if (line == null) {
                LOG.warn("{}: ignoring damaged line {} (a crash while writing it?); its group is written again",
                        path, i + 1);
                continue;
            }
            groups.add(ManifestCodec.summaryFromJson(line));
        }
        return new Content(UUID.fromString(ManifestCodec.text(header, "backupId")),
                Instant.parse(ManifestCodec.text(header, "createdAt")), spec, groups);
    }

    /** Records a finished group durably. */
    synchronized void append(GroupSummary summary) throws IOException {
        appendLine(ManifestCodec.summaryToJson(summary));
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    private void appendLine(JsonNode node) throws IOException {
        byte[] json = ManifestCodec.mapper().writeValueAsBytes(node);
        CRC32C crc = new CRC32C();
        crc.update(json);
        byte[] line = (String.format("%08x ", crc.getValue()) + new String(json, StandardCharsets.UTF_8) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        DurableFiles.writeAll(channel, line);
        channel.force(false);
    }

    private static JsonNode parseLine(String line) {
        if (line.length() < 10 || line.charAt(8) != ' ') {
            return null;
        }
        byte[] json = line.substring(9).getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(json);
        try {
            if (Long.parseLong(line.substring(0, 8), 16) != crc.getValue()) {
                return null;
            }
            return ManifestCodec.mapper().readTree(json);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
