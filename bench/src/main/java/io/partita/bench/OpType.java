package io.partita.bench;

/** The operations the load generator issues, named as YCSB names them. */
public enum OpType {
    /** A read of all bins of one record. */
    READ("read"),
    /** A write of every bin of an existing record (create-or-update, like every write of the generator). */
    UPDATE("update"),
    /** A write of a new record, past the loaded ones (and every write of the {@code --load} phase). */
    INSERT("insert"),
    /** A read of up to {@code --scan-length} records in key order from a chosen key. */
    SCAN("scan"),
    /** A read of one record, then a write of it: timed as one operation. */
    RMW("rmw");

    private final String label;

    OpType(String label) {
        this.label = label;
    }

    /** The name used in options, reports, logs and JSON: {@code read}, {@code update}, ... */
    public String label() {
        return label;
    }

    /**
     * The operation labelled {@code label}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public static OpType ofLabel(String label) {
        for (OpType op : values()) {
            if (op.label.equals(label)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown operation '" + label + "' (read, update, insert, scan, rmw)");
    }
}
