package io.partita.engine.write;

/** When a {@link WriteKind#RESTORE} write stores its record over what is there. */
public enum RestorePolicy {
    /** Always store, overwriting any live record. */
    REPLACE,
    /** Store only when no live record exists. */
    CREATE_ONLY,
    /** Store when no live record exists or the restored generation is higher than the live one (unsigned). */
    GENERATION
}
