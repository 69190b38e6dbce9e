package io.partita.tools.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the {@code bin=value} arguments of {@code partita put}.
 *
 * <p>A value that is valid JSON is taken as JSON: integers become {@code Long}, other numbers {@code Double},
 * strings, booleans, arrays become {@code List}, objects {@code Map} with string keys, and {@code null} removes the
 * bin. An object with the single member {@code "$bytes"} holding base64 text becomes a byte array (the form
 * {@code partita get} prints bytes in). Anything else is taken as a plain string, so {@code name=Alice} works.
 */
public final class BinValues {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Name of the JSON member that marks a byte array: {@code {"$bytes": "<base64>"}}. */
    public static final String BYTES_MEMBER = "$bytes";

    private BinValues() {
    }

    /**
     * Parses {@code bin=value} arguments into a bin map, in argument order.
     *
     * @throws IllegalArgumentException naming the argument if one has no {@code =}, an empty bin name or a number
     *                                  out of range
     */
    public static Map<String, Object> parseBins(List<String> args) {
        Map<String, Object> bins = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + arg + "' is not bin=value (e.g. name=Alice or age=30)");
            }
            if (eq == 0) {
                throw new IllegalArgumentException("'" + arg + "' has an empty bin name (use bin=value)");
            }
            String name = arg.substring(0, eq);
            if (bins.containsKey(name)) {
                throw new IllegalArgumentException("bin '" + name + "' is given more than once");
            }
            try {
                bins.put(name, parseValue(arg.substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bin '" + name + "': " + e.getMessage(), e);
            }
        }
        return bins;
    }

    /**
     * Parses one value: JSON if it is valid JSON, else the text itself.
     *
     * @return a {@code Long}, {@code Double}, {@code String}, {@code Boolean}, {@code byte[]}, {@code List},
     *         {@code Map} or {@code null} (JSON null)
     * @throws IllegalArgumentException for an integer outside the 64-bit range or a malformed {@code $bytes} value
     */
    public static Object parseValue(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return text;
        }
        if (node == null || node.isMissingNode()) {
            return text; // empty or blank text
        }
        return convert(node);
    }

    private static Object convert(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new IllegalArgumentException("the integer " + node.asText()
                        + " is outside the 64-bit range (quote it to store it as a string)");
            }
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode element : node) {
                list.add(convert(element));
            }
            return list;
        }
        if (node.isObject()) {
            if (node.size() == 1 && node.has(BYTES_MEMBER)) {
                JsonNode b64 = node.get(BYTES_MEMBER);
                if (!b64.isTextual()) {
                    throw new IllegalArgumentException("{\"" + BYTES_MEMBER + "\": ...} needs base64 text");
                }
                try {
                    return Base64.getDecoder().decode(b64.textValue());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("{\"" + BYTES_MEMBER + "\": ...} is not valid base64: "
                            + e.getMessage(), e);
                }
            }
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                map.put(f.getKey(), convert(f.getValue()));
            }
            return map;
        }
        throw new IllegalArgumentException("unsupported JSON value: " + node);
    }
}
