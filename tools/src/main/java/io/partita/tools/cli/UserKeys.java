package io.partita.tools.cli;

import io.partita.client.Key;
import java.util.HexFormat;
import java.util.Locale;

/** How the KEY argument of a record command is read: {@code --key-type string|long|bytes}. */
public enum UserKeys {
    /** The argument as text. */
    STRING,
    /** The argument as a signed 64-bit integer. */
    LONG,
    /** The argument as hexadecimal bytes, optionally prefixed {@code 0x}. */
    BYTES;

    /**
     * Parses a {@code --key-type} value, case-insensitively.
     *
     * @throws IllegalArgumentException if it is none of string, long, bytes
     */
    public static UserKeys of(String name) {
        for (UserKeys t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("key type '" + name + "' is not one of string, long, bytes");
    }

    /**
     * The user key for a KEY argument: a {@code String}, {@code Long} or {@code byte[]}.
     *
     * @throws IllegalArgumentException if the text is not a number (long) or not hex (bytes)
     */
    public Object parse(String text) {
        switch (this) {
            case LONG:
                try {
                    return Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("key '" + text + "' is not a 64-bit integer (--key-type long)");
                }
            case BYTES:
                String hex = text.trim();
                if (hex.startsWith("0x") || hex.startsWith("0X")) {
                    hex = hex.substring(2);
                }
                if (hex.isEmpty() || hex.length() % 2 != 0) {
                    throw new IllegalArgumentException("key '" + text
                            + "' is not an even number of hex digits (--key-type bytes, e.g. 0a1b2c)");
                }
                try {
                    return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("key '" + text + "' is not hex (--key-type bytes, e.g. 0a1b2c)");
                }
            default:
                return text;
        }
    }

    /**
     * A client key for namespace, set and KEY argument.
     *
     * @throws IllegalArgumentException if the key text or a name is invalid
     */
    public Key key(String namespace, String set, String text) {
        Object userKey = parse(text);
        if (userKey instanceof Long l) {
            return new Key(namespace, set, l);
        }
        if (userKey instanceof byte[] b) {
            return new Key(namespace, set, b);
        }
        return new Key(namespace, set, (String) userKey);
    }
}
