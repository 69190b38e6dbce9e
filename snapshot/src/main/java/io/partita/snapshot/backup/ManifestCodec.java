package io.partita.snapshot.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * JSON form of manifests and group summaries. The manifest's {@code checksum} is the SHA-256 of the compact JSON of
 * every other field, in file order; a reader re-serialises the parsed tree the same way to check it, so an edited or
 * damaged manifest is refused while its layout (indentation) may vary.
 */
final class ManifestCodec {
    static final int FORMAT_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CHECKSUM = "checksum";

    private ManifestCodec() {
    }

    /** Returns {@code m} with its checksum computed. */
    static BackupManifest seal(BackupManifest m) {
        String checksum = checksum(body(m));
        return new BackupManifest(m.formatVersion(), m.backupId(), m.kind(), m.parent(), m.clusterId(),
                m.sourceGroupCount(), m.namespaceFilter(), m.setFilter(), m.createdAt(), m.groups(), checksum,
                m.dir());
    }

    /** The manifest file's bytes (indented JSON, checksum last). */
    static byte[] toJson(BackupManifest sealed) {
        ObjectNode node = body(sealed);
        node.put(CHECKSUM, sealed.checksum());
        try {
            return MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a manifest", e);
        }
    }

    /**
     * Parses and checks a manifest file.
     *
     * @param file the manifest file (for messages)
     * @param bytes its content
     * @param dir its backup directory
     * @throws BackupFormatException when it is not valid JSON, fails its checksum, or lacks a field
     */
    static BackupManifest parse(Path file, byte[] bytes, Path dir) throws BackupFormatException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new BackupFormatException(file, file + " is not valid JSON (damaged; flipped byte?): "
                    + e.getMessage().lines().findFirst().orElse("") + ". Restore the backup directory from another copy.");
        }
        if (!(tree instanceof ObjectNode node)) {
            throw new BackupFormatException(file, file + " is not a Partita backup manifest (not a JSON object)");
        }
        JsonNode stored = node.remove(CHECKSUM);
        String actual = checksum(node);
        if (stored == null || !actual.equals(stored.asText())) {
            throw new BackupFormatException(file, file + " fails its checksum (damaged or edited; stored "
                    + (stored == null ? "none" : stored.asText()) + ", computed " + actual
                    + "). Restore the backup directory from another copy.");
        }
        try {
            return fromBody(node, actual, dir);
        } catch (RuntimeException e) {
            throw new BackupFormatException(file, file + " has a missing or invalid field: " + e.getMessage(), e);
        }
    }

    /** A group summary as JSON (shared by the manifest and the progress journal). */
    static ObjectNode summaryToJson(GroupSummary s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("group", s.group());
        n.put("term", s.term());
        n.put("index", s.index());
        n.put("recordsStored", s.recordsStored());
        n.put("recordsLive", s.recordsLive());
        n.put("deletions", s.deletions());
        n.put("rawBytes", s.rawBytes());
        n.put("compressedBytes", s.compressedBytes());
        ArrayNode files = n.putArray("files");
        for (BackupFile f : s.files()) {
            files.addObject().put("name", f.name()).put("size", f.size())
                    .put("crc32c", String.format("%08x", f.crc32c()));
        }
        return n;
    }

    /** Reads a summary written by {@link #summaryToJson(GroupSummary)}; throws IllegalArgumentException if invalid. */
    static GroupSummary summaryFromJson(JsonNode n) {
        List<BackupFile> files = new ArrayList<>();
        for (JsonNode f : array(n, "files")) {
            files.add(new BackupFile(text(f, "name"), number(f, "size"),
                    Long.parseLong(text(f, "crc32c"), 16)));
        }
        return new GroupSummary((int) number(n, "group"), number(n, "term"), number(n, "index"),
                number(n, "recordsStored"), number(n, "recordsLive"), number(n, "deletions"), number(n, "rawBytes"),
                number(n, "compressedBytes"), files);
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectNode body(BackupManifest m) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("formatVersion", m.formatVersion());
        n.put("backupId", m.backupId().toString());
        n.put("kind", m.kind().name().toLowerCase(Locale.ROOT));
        if (m.parent() == null) {
            n.putNull("parent");
        } else {
            n.putObject("parent").put("backupId", m.parent().backupId().toString())
                    .put("manifestChecksum", m.parent().manifestChecksum()).put("dir", m.parent().dir());
        }
        n.put("clusterId", m.clusterId());
        n.put("sourceGroupCount", m.sourceGroupCount());
        n.put("namespaceFilter", m.namespaceFilter());
        n.put("setFilter", m.setFilter());
        n.put("createdAt", m.createdAt().toString());
        // Totals are for people reading the file; readers recompute them from the groups.
        n.putObject("totals").put("recordsStored", m.recordsStored()).put("recordsLive", m.recordsLive())
                .put("deletions", m.deletions()).put("rawBytes", m.rawBytes())
                .put("compressedBytes", m.compressedBytes());
        ArrayNode groups = n.putArray("groups");
        m.groups().forEach(g -> groups.add(summaryToJson(g)));
        return n;
    }

    private static BackupManifest fromBody(ObjectNode n, String checksum, Path dir) {
        int version = (int) number(n, "formatVersion");
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("formatVersion " + version + " is not supported (this build reads "
                    + FORMAT_VERSION + "); use the Partita release that wrote the backup");
        }
        BackupKind kind = BackupKind.valueOf(text(n, "kind").toUpperCase(Locale.ROOT));
        JsonNode p = n.get("parent");
        ParentLink parent = p == null || p.isNull() ? null
                : new ParentLink(UUID.fromString(text(p, "backupId")), text(p, "manifestChecksum"), text(p, "dir"));
        if ((parent == null) != (kind == BackupKind.FULL)) {
            throw new IllegalArgumentException("a " + kind + " backup " + (parent == null ? "needs" : "has no")
                    + " parent");
        }
        List<GroupSummary> groups = new ArrayList<>();
        array(n, "groups").forEach(g -> groups.add(summaryFromJson(g)));
        return new BackupManifest(version, UUID.fromString(text(n, "backupId")), kind, parent, text(n, "clusterId"),
                (int) number(n, "sourceGroupCount"), nullableText(n, "namespaceFilter"),
                nullableText(n, "setFilter"), Instant.parse(text(n, "createdAt")), groups, checksum, dir);
    }

    private static String checksum(ObjectNode body) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(MAPPER.writeValueAsBytes(body));
            return "sha256:" + HexFormat.of().formatHex(sha);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot checksum a manifest", e);
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return v.asText();
    }

    static String nullableText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : text(n, field);
    }

    static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be an integer");
        }
        return v.asLong();
    }

    private static JsonNode array(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException("'" + field + "' must be an array");
        }
        return v;
    }
}
