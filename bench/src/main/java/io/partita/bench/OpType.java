package io.partita.bench;

/** The operations the load generator issues. */
public enum OpType {
    /** A read of all bins of one record. */
    GET("get"),
    /** A create-or-update write of every bin of one record. */
    PUT("put");

    private final String label;

    OpType(String label) {
        this.label = label;
    }

    /** The name used in reports, logs and JSON: {@code get} or {@code put}. */
    public String label() {
        return label;
    }
}
