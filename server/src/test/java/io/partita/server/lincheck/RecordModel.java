package io.partita.server.lincheck;

/**
 * The sequential specification of one key's record, as a reusable scratch object so the search does not allocate.
 *
 * <p>A state is a {@code (value, generation)} pair; generation {@link #ABSENT} (0) means no record, and then the
 * value is 0. {@link #apply} computes the output an op would produce from a state, and the state it leaves.
 */
final class RecordModel {
    /** The generation of an absent record; real generations start at 1. */
    static final int ABSENT = 0;

    private Input.Kind kind;
    private Output.Code code;
    private long readValue;
    private int generationOut;
    private long nextValue;
    private int nextGeneration;

    /** Runs {@code input} against state {@code (value, generation)}. */
    void apply(Input input, long value, int generation) {
        kind = input.kind();
        code = Output.Code.OK;
        readValue = 0;
        generationOut = Output.UNKNOWN_GENERATION;
        nextValue = value;
        nextGeneration = generation;
        switch (kind) {
            case PUT:
                write(input.value(), generation);
                break;
            case GET:
                if (generation == ABSENT) {
                    code = Output.Code.KEY_NOT_FOUND;
                } else {
                    readValue = value;
                    generationOut = generation;
                }
                break;
            case CAS:
                if (generation == ABSENT) {
                    code = Output.Code.KEY_NOT_FOUND;
                } else if (generation != input.expectedGeneration()) {
                    code = Output.Code.GENERATION_ERROR;
                } else {
                    write(input.value(), generation);
                }
                break;
            case DELETE:
                if (generation == ABSENT) {
                    code = Output.Code.KEY_NOT_FOUND;
                } else {
                    nextValue = 0;
                    nextGeneration = ABSENT;
                }
                break;
            default:
                throw new AssertionError(kind);
        }
    }

    private void write(long value, int generation) {
        nextValue = value;
        nextGeneration = generation + 1;
        generationOut = nextGeneration;
    }

    /** Whether the last applied op may have answered {@code observed}; null (unconstrained) always may. */
    boolean accepts(Output observed) {
        if (observed == null) {
            return true;
        }
        if (observed.code() != code) {
            return false;
        }
        if (kind == Input.Kind.GET && code == Output.Code.OK && observed.value() != readValue) {
            return false;
        }
        return observed.generation() == Output.UNKNOWN_GENERATION || observed.generation() == generationOut;
    }

    /** The output the last applied op produces. */
    Output expected() {
        return new Output(code, readValue, generationOut);
    }

    long nextValue() {
        return nextValue;
    }

    int nextGeneration() {
        return nextGeneration;
    }

    /** E.g. {@code absent}, {@code (5, gen 2)}. */
    static String describe(long value, int generation) {
        return generation == ABSENT ? "absent" : "(" + value + ", gen " + generation + ")";
    }
}
