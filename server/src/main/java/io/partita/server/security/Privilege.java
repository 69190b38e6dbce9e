package io.partita.server.security;

/** What a call needs a role for. Roles ({@link Role}) are sets of these, granted for a scope. */
public enum Privilege {
    /** Read records: get, exists, batch reads, scans, operate calls that read. */
    READ("read records"),
    /** Write records: put, delete, touch, operate calls that write. */
    WRITE("write records"),
    /** Truncate, and copy data out or in whole: exports for backups, imports for restores. */
    DATA_ADMIN("truncate, export or import records"),
    /** Change the cluster: node add and decommission, leadership hand-off. */
    SYS_ADMIN("administer the cluster"),
    /** Create, drop and change users. */
    USER_ADMIN("administer users");

    private final String action;

    Privilege(String action) {
        this.action = action;
    }

    /** The privilege as a verb phrase for messages: "read records". */
    public String action() {
        return action;
    }
}
