package io.partita.server.config;

/**
 * A node configuration that cannot be used, with a one-line message that says where and what to do.
 *
 * <p>The message has the form {@code <source>: <key path>: <problem>}, for example
 * {@code conf/node.yaml: namespaces[0].max-record-size: '3Q' is not a size (use e.g. 512K, 1M)}.
 * The source is omitted when the configuration was built in code, the key path when the problem
 * concerns the whole file (for example malformed YAML, where a line and column take its place).
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Where the configuration came from, or {@code null}. */
    private final String source;
    /** Full key path, {@code ""} if none. */
    private final String keyPath;
    /** Problem and remedy. */
    private final String detail;

    /**
     * Creates an exception.
     *
     * @param source  where the configuration came from, usually the file name; {@code null} if built in code
     * @param keyPath full key path of the offending value such as {@code listen.client-port}, or {@code ""}
     * @param detail  what is wrong and what to do about it, on one line
     */
    public ConfigException(String source, String keyPath, String detail) {
        super(format(source, keyPath, detail));
        this.source = source;
        this.keyPath = keyPath == null ? "" : keyPath;
        this.detail = detail;
    }

    /**
     * Returns where the configuration came from.
     *
     * @return the source name, or {@code null} when the configuration was built in code
     */
    public String source() {
        return source;
    }

    /**
     * Returns the full key path of the offending value.
     *
     * @return a path such as {@code namespaces[0].name}, or {@code ""} when the problem is not tied to a key
     */
    public String keyPath() {
        return keyPath;
    }

    /**
     * Returns the problem and the remedy, without source and key path.
     *
     * @return the detail text
     */
    public String detail() {
        return detail;
    }

    /** Returns a copy attributed to {@code newSource} with {@code prefix} prepended to the key path. */
    ConfigException located(String newSource, String prefix) {
        String path = prefix == null || prefix.isEmpty() ? keyPath
                : keyPath.isEmpty() ? prefix : prefix + "." + keyPath;
        ConfigException located = new ConfigException(source != null ? source : newSource, path, detail);
        located.initCause(getCause() != null ? getCause() : this);
        return located;
    }

    private static String format(String source, String keyPath, String detail) {
        StringBuilder sb = new StringBuilder();
        if (source != null && !source.isEmpty()) {
            sb.append(source).append(": ");
        }
        if (keyPath != null && !keyPath.isEmpty()) {
            sb.append(keyPath).append(": ");
        }
        // The message is promised to be one line: never let a newline from a nested cause through.
        sb.append(detail == null ? "invalid" : detail.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
        return sb.toString();
    }
}
