package io.partita.tools.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partita.client.Record;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * JSON output of the record commands.
 *
 * <p>A record renders as {@code namespace}, {@code set}, {@code key}, {@code generation}, {@code ttl} (seconds
 * left, -1 = never expires), {@code last_update} (ISO-8601, UTC) and {@code bins}. Byte arrays render as
 * {@code {"$bytes": "<base64>"}}, which {@code partita put} reads back; map keys that are not strings render as
 * their text (numbers, booleans) or base64 (bytes); non-finite doubles render as the strings NaN, Infinity,
 * -Infinity.
 */
public final class RecordJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Separators SEPARATORS = Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER);

    private RecordJson() {
    }

    /**
     * A record as a JSON object.
     *
     * @param userKey    the user key as given ({@code String}, {@code Long} or {@code byte[]})
     * @param record     the record
     * @param headerOnly leave {@code bins} out
     * @param nowMs      the current time, for the TTL left
     */
    public static ObjectNode record(String namespace, String set, Object userKey, Record record, boolean headerOnly,
                                    long nowMs) {
        ObjectNode o = NODES.objectNode();
        o.put("namespace", namespace);
        o.put("set", set);
        o.set("key", value(userKey));
        o.put("generation", record.generation());
        o.put("ttl", record.ttlSeconds(nowMs));
        o.put("last_update", Instant.ofEpochMilli(record.lastUpdateMs()).toString());
        if (!headerOnly) {
            ObjectNode bins = o.putObject("bins");
            for (Map.Entry<String, Object> e : record.bins().entrySet()) {
                bins.set(e.getKey(), value(e.getValue()));
            }
        }
        return o;
    }

    /** A bin value (or user key) as JSON. */
    public static JsonNode value(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return NODES.numberNode(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(Double.toString(d));
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof byte[] b) {
            ObjectNode o = NODES.objectNode();
            o.put(BinValues.BYTES_MEMBER, Base64.getEncoder().encodeToString(b));
            return o;
        }
        if (v instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode(list.size());
            for (Object element : list) {
                a.add(value(element));
            }
            return a;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                o.set(mapKey(e.getKey()), value(e.getValue()));
            }
            return o;
        }
        return NODES.textNode(String.valueOf(v));
    }

    private static String mapKey(Object k) {
        if (k instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        return String.valueOf(k);
    }

    /** Multi-line JSON with {@code "name": value} spacing, without a trailing newline. */
    public static String pretty(JsonNode node) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(SEPARATORS)
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        return write(node, printer);
    }

    /** One-line JSON with {@code "name": value} spacing: {@code {"generation": 2}}. */
    public static String oneLine(JsonNode node) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(SEPARATORS
                .withObjectEntrySpacing(Separators.Spacing.AFTER)
                .withArrayValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultPrettyPrinter.NopIndenter())
                .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter());
        return write(node, printer);
    }

    private static String write(JsonNode node, DefaultPrettyPrinter printer) {
        try {
            return JSON.writer(printer).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A one-member object, e.g. {@code {"generation": 2}}. */
    public static ObjectNode field(String name, long value) {
        return NODES.objectNode().put(name, value);
    }

    /** A one-member object, e.g. {@code {"exists": true}}. */
    public static ObjectNode field(String name, boolean value) {
        return NODES.objectNode().put(name, value);
    }
}
