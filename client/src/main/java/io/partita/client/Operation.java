package io.partita.client;

import io.partita.protocol.BinValues;
import io.partita.protocol.OpCode;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One operation of {@link PartitaClient#operate}: record and bin operations here, list operations in
 * {@link ListOperation}. As in Aerospike's client:
 *
 * <pre>{@code
 * OperateResult r = client.operate(null, key,
 *     Operation.add("visits", 1),
 *     ListOperation.append("pages", "/home"),
 *     Operation.get("visits"));
 * long visits = (Long) r.results().get(2);
 * }</pre>
 *
 * Immutable. Arguments are checked when the operation is built ({@link IllegalArgumentException} for an unsupported
 * value type); what an operation does to the bin's current value is checked by the node, which refuses the whole call
 * (nothing applied) with a result code such as BIN_TYPE_ERROR or OP_NOT_APPLICABLE and a message.
 */
public final class Operation {
    private final OpCode code;
    private final String bin;
    private final List<Object> args;

    Operation(OpCode code, String bin, Object... args) {
        this.code = Objects.requireNonNull(code, "code");
        this.bin = Objects.requireNonNull(bin, "bin name");
        Object[] copy = args.clone();
        for (int i = 0; i < copy.length; i++) {
            copy[i] = copy[i] == null ? null : BinValues.canonicalize(copy[i], "argument " + i + " of " + code);
        }
        this.args = Collections.unmodifiableList(Arrays.asList(copy));
    }

    /**
     * A list or map operation that may create its container: args, then the write flags, then the order of a
     * container it creates when that is not the default (0), so that default calls keep their short form.
     */
    static Operation creating(OpCode code, String bin, long flags, int order, Object... args) {
        Object[] all = Arrays.copyOf(args, args.length + (order == 0 ? 1 : 2));
        all[args.length] = flags;
        if (order != 0) {
            all[args.length + 1] = (long) order;
        }
        return new Operation(code, bin, all);
    }

    static String requireBin(String bin) {
        if (bin == null || bin.isEmpty()) {
            throw new IllegalArgumentException("the operation needs a bin name");
        }
        return bin;
    }

    /**
     * An operation by its code, with its arguments as {@link OpCode} documents them: for tools that build operations
     * from names (such as the {@code partita operate} command). Applications use the typed factories here and in
     * {@link ListOperation} and {@link MapOperation}, which cannot get the arguments wrong.
     *
     * @param bin {@code ""} for record operations
     * @throws IllegalArgumentException if an argument is not a supported value
     */
    public static Operation of(OpCode code, String bin, Object... args) {
        return new Operation(code, bin, args);
    }

    /** Reads every bin; the result is the record's bins as a map (null when the record has been deleted). */
    public static Operation get() {
        return new Operation(OpCode.READ, "");
    }

    /** Reads one bin; the result is its value (null when absent). */
    public static Operation get(String bin) {
        return new Operation(OpCode.READ, requireBin(bin));
    }

    /** Reads the record's header only: generation and expiry come with {@link OperateResult}; the result is null. */
    public static Operation getHeader() {
        return new Operation(OpCode.READ_HEADER, "");
    }

    /** Writes a bin; a null value removes it. */
    public static Operation put(String bin, Object value) {
        return new Operation(OpCode.WRITE, requireBin(bin), value);
    }

    /** Adds to an integer bin (created with {@code delta} when absent); BIN_TYPE_ERROR if the bin holds another type. */
    public static Operation add(String bin, long delta) {
        return new Operation(OpCode.ADD, requireBin(bin), delta);
    }

    /** Adds to a double bin (created with {@code delta} when absent); BIN_TYPE_ERROR if the bin holds another type. */
    public static Operation add(String bin, double delta) {
        return new Operation(OpCode.ADD, requireBin(bin), delta);
    }

    /** Appends to a string bin (created when absent). */
    public static Operation append(String bin, String value) {
        return new Operation(OpCode.APPEND, requireBin(bin), Objects.requireNonNull(value, "value"));
    }

    /** Appends to a bytes bin (created when absent). */
    public static Operation append(String bin, byte[] value) {
        return new Operation(OpCode.APPEND, requireBin(bin), Objects.requireNonNull(value, "value"));
    }

    /** Prepends to a string bin (created when absent). */
    public static Operation prepend(String bin, String value) {
        return new Operation(OpCode.PREPEND, requireBin(bin), Objects.requireNonNull(value, "value"));
    }

    /** Prepends to a bytes bin (created when absent). */
    public static Operation prepend(String bin, byte[] value) {
        return new Operation(OpCode.PREPEND, requireBin(bin), Objects.requireNonNull(value, "value"));
    }

    /** Resets the record's expiry per the call's write policy; KEY_NOT_FOUND if there is no record. */
    public static Operation touch() {
        return new Operation(OpCode.TOUCH, "");
    }

    /** Deletes the record; later operations of the same call see no record (a later write creates a new one). */
    public static Operation delete() {
        return new Operation(OpCode.DELETE, "");
    }

    /** The operation's code. */
    public OpCode code() {
        return code;
    }

    /** The bin it applies to ({@code ""} for record operations). */
    public String bin() {
        return bin;
    }

    /** Its arguments, canonical bin values. */
    public List<Object> args() {
        return args;
    }

    @Override
    public String toString() {
        return code + (bin.isEmpty() ? "" : "('" + bin + "')") + args.stream().map(BinValues::toDisplayString)
                .toList();
    }
}
