package io.partita.server.lincheck;

import java.util.Objects;

/**
 * What the system answered to a {@link Outcome#DEFINITE} operation. Use the factories.
 *
 * <ul>
 *   <li>PUT: {@link #ok()} or {@link #ok(int)} with the resulting generation.</li>
 *   <li>GET: {@link #found(long, int)} or {@link #notFound()}.</li>
 *   <li>CAS: {@link #ok()} / {@link #ok(int)}, {@link #generationError()}, or {@link #notFound()}.</li>
 *   <li>DELETE: {@link #ok()} or {@link #notFound()}.</li>
 * </ul>
 *
 * @param code       the result code
 * @param value      the value a GET read; 0 otherwise
 * @param generation the generation a GET read, or the one a PUT/CAS produced; {@link #UNKNOWN_GENERATION} when the
 *                   client did not learn it (then any generation matches)
 */
public record Output(Code code, long value, int generation) {

    /** Marks a generation the client did not observe. Real generations start at 1. */
    public static final int UNKNOWN_GENERATION = 0;

    /** The result codes the model can produce (the database's codes of the same names). */
    public enum Code { OK, KEY_NOT_FOUND, GENERATION_ERROR }

    public Output {
        Objects.requireNonNull(code, "code");
        if (generation < 0) {
            throw new IllegalArgumentException("negative generation " + generation);
        }
        if (code != Code.OK && (value != 0 || generation != UNKNOWN_GENERATION)) {
            throw new IllegalArgumentException(code + " carries no value or generation");
        }
    }

    /** A write succeeded; the resulting generation is unknown. */
    public static Output ok() {
        return new Output(Code.OK, 0, UNKNOWN_GENERATION);
    }

    /** A PUT or CAS succeeded and left the record at {@code generation}. */
    public static Output ok(int generation) {
        requireGeneration(generation);
        return new Output(Code.OK, 0, generation);
    }

    /** A GET read {@code value} at {@code generation} (or {@link #UNKNOWN_GENERATION}). */
    public static Output found(long value, int generation) {
        return new Output(Code.OK, value, generation);
    }

    /** A GET found no record, or a CAS or DELETE failed with KEY_NOT_FOUND. */
    public static Output notFound() {
        return new Output(Code.KEY_NOT_FOUND, 0, UNKNOWN_GENERATION);
    }

    /** A CAS failed: the record exists with another generation. */
    public static Output generationError() {
        return new Output(Code.GENERATION_ERROR, 0, UNKNOWN_GENERATION);
    }

    /** Whether {@code kind} can answer with this output. */
    boolean fits(Input.Kind kind) {
        switch (kind) {
            case PUT:
                return code == Code.OK && value == 0;
            case GET:
                return code != Code.GENERATION_ERROR;
            case CAS:
                return code != Code.OK || value == 0;
            case DELETE:
                return code == Code.KEY_NOT_FOUND || (value == 0 && generation == UNKNOWN_GENERATION);
            default:
                throw new AssertionError(kind);
        }
    }

    /** This output as an answer to {@code kind}, e.g. {@code (5, gen 2)}, {@code absent}, {@code OK gen 3}. */
    String describe(Input.Kind kind) {
        boolean knownGeneration = generation != UNKNOWN_GENERATION;
        if (kind == Input.Kind.GET) {
            return code == Code.OK ? "(" + value + ", gen " + (knownGeneration ? generation : "?") + ")" : "absent";
        }
        return code == Code.OK && knownGeneration ? "OK gen " + generation : code.name();
    }

    private static void requireGeneration(int generation) {
        if (generation < 1) {
            throw new IllegalArgumentException("generations start at 1, not " + generation);
        }
    }
}
