package io.partita.server.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's audit log: one JSON object per line, appended to a file, for every administrative call and every
 * refused call ({@link AuditInterceptor} decides which), with who called and what came of it.
 *
 * <pre>{"time":"2026-12-07T20:41:03.512Z","node":"n1","call":"Admin/DecommissionNode","caller":"CN=ops",
 *  "user":"admin","address":"10.0.0.7:51234","request":"node_id: \"n3\"","outcome":"OK","detail":""}</pre>
 *
 * <p>Each line is written whole with one append (so lines never interleave) and not fsynced: the log records what
 * happened for operators and auditors, it is not part of the data's durability. A write that fails is logged at
 * WARN and the call goes on: auditing never blocks the cluster.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final Path file;
    private final String node;
    private final FileChannel channel;

    private AuditLog(Path file, String node, FileChannel channel) {
        this.file = file;
        this.node = node;
        this.channel = channel;
    }

    /**
     * Opens (creating it and its directory if needed) the audit log of node {@code node} for appending.
     *
     * @throws IOException if the file cannot be opened for appending
     */
    public static AuditLog open(Path file, String node) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new AuditLog(file, node, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    public Path file() {
        return file;
    }

    /**
     * One audited call: its service/method, the caller's certificate subject, the user it runs as (or claims to
     * log in as; "-" for none), its address, the request (passwords and the plan's users left out), the outcome.
     */
    public record Entry(String call, String caller, String user, String address, String request, String outcome,
                        String detail) {
    }

    /** Appends {@code entry} as one line. */
    public void record(Entry entry) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("time", Instant.now().toString());
        fields.put("node", node);
        fields.put("call", entry.call());
        fields.put("caller", entry.caller());
        fields.put("user", entry.user());
        fields.put("address", entry.address());
        fields.put("request", entry.request());
        fields.put("outcome", entry.outcome());
        fields.put("detail", entry.detail());
        StringBuilder line = new StringBuilder(256).append('{');
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (line.length() > 1) {
                line.append(',');
            }
            appendJsonString(line, f.getKey());
            line.append(':');
            appendJsonString(line, f.getValue() == null ? "" : f.getValue());
        }
        ByteBuffer bytes = ByteBuffer.wrap(line.append("}\n").toString().getBytes(StandardCharsets.UTF_8));
        try {
            synchronized (this) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot append to the audit log {}: {}", file, e.toString());
        }
    }

    /** {@code s} as a JSON string (RFC 8259): quotes, backslashes and control characters escaped. */
    static void appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing the audit log {}: {}", file, e.toString());
        }
    }
}
