package io.partita.server.metrics;

import java.util.Locale;

/** The client operations the node measures; {@link #label()} is the {@code op} label of their metrics. */
public enum OpType {
    GET, EXISTS, PUT, DELETE, TOUCH, OPERATE, TRUNCATE, IMPORT;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
