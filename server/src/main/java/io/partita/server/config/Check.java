package io.partita.server.config;

import io.partita.protocol.HostPort;
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

    /** A host:port address with a port in 1..65535 (IPv6 hosts in brackets: [::1]:7300). */
    static String hostPort(String keyPath, String value) {
        required(keyPath, value);
        if (!HostPort.isValid(value)) {
            throw new ConfigException(null, keyPath, "'" + value
                    + "' is not a host:port address (e.g. 10.0.0.2:7300, port 1..65535)");
        }
        return value;
    }
}
