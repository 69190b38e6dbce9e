package io.partita.server.config;

import java.util.regex.Pattern;

/** Validation helpers shared by the config records; every failure is a {@link ConfigException} without source. */
final class Check {
    private Check() {
    }

    static <T> T required(String keyPath, T value) {
        if (value == null) {
            throw new ConfigException(null, keyPath, "is required");
        }
        return value;
    }

    static String matches(String keyPath, String value, Pattern pattern, String what) {
        required(keyPath, value);
        if (!pattern.matcher(value).matches()) {
            throw new ConfigException(null, keyPath, "'" + value + "' is not a valid " + what);
        }
        return value;
    }
}
