package io.partita.server.lincheck;

import java.util.Objects;

/**
 * What a client asked of one key's record. Use the factories: {@link #put}, {@link #get}, {@link #cas},
 * {@link #delete}.
 *
 * @param kind               the operation
 * @param value              the value written by a PUT or CAS; 0 for GET and DELETE
 * @param expectedGeneration the generation a CAS requires (at least 1); 0 for every other kind
 */
public record Input(Kind kind, long value, int expectedGeneration) {

    /** The four single-key operations of the model (see {@link LinearizabilityChecker}). */
    public enum Kind { PUT, GET, CAS, DELETE }

    public Input {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.CAS && expectedGeneration < 1) {
            throw new IllegalArgumentException("a CAS expects a generation of at least 1, not " + expectedGeneration);
        }
        if (kind != Kind.CAS && expectedGeneration != 0) {
            throw new IllegalArgumentException(kind + " has no expected generation");
        }
        if ((kind == Kind.GET || kind == Kind.DELETE) && value != 0) {
            throw new IllegalArgumentException(kind + " writes no value");
        }
    }

    /** Create or replace the record with {@code value}. */
    public static Input put(long value) {
        return new Input(Kind.PUT, value, 0);
    }

    /** Read the record. */
    public static Input get() {
        return new Input(Kind.GET, 0, 0);
    }

    /** Replace the record with {@code value} only if it exists with generation {@code expectedGeneration}. */
    public static Input cas(int expectedGeneration, long value) {
        return new Input(Kind.CAS, value, expectedGeneration);
    }

    /** Delete the record. */
    public static Input delete() {
        return new Input(Kind.DELETE, 0, 0);
    }

    @Override
    public String toString() {
        switch (kind) {
            case PUT:
                return "PUT(" + value + ")";
            case CAS:
                return "CAS(gen " + expectedGeneration + " -> " + value + ")";
            default:
                return kind.name();
        }
    }
}
