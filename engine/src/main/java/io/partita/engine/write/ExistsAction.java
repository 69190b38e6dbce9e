package io.partita.engine.write;

/** How a put treats an existing (or missing) record. */
public enum ExistsAction {
    /** Create, or merge the given bins into the existing record. */
    CREATE_OR_UPDATE,
    /** Merge into an existing record; fails with KEY_NOT_FOUND when absent. */
    UPDATE_ONLY,
    /** Create, or replace every bin of the existing record. */
    REPLACE,
    /** Create; fails with KEY_EXISTS when present. */
    CREATE_ONLY
}
