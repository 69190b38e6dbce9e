package io.partita.engine.operate;

import io.partita.protocol.OpCode;
import java.util.List;
import java.util.Objects;

/**
 * One operation of an {@code operate()} call.
 *
 * @param code what to do
 * @param bin  the bin it applies to; {@code ""} for record operations (READ of every bin, READ_HEADER, TOUCH, DELETE)
 * @param args its arguments, as {@link OpCode} documents per operation; plain bin values, nulls allowed where a value
 *             may be null (WRITE's value, a list element)
 */
public record Operation(OpCode code, String bin, List<Object> args) {
    public Operation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(bin, "bin");
        Objects.requireNonNull(args, "args");
    }

    /** An operation with the given arguments (copied into an unmodifiable list that allows nulls). */
    public static Operation of(OpCode code, String bin, Object... args) {
        return new Operation(code, bin, java.util.Collections.unmodifiableList(java.util.Arrays.asList(args.clone())));
    }
}
