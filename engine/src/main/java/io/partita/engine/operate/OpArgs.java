package io.partita.engine.operate;

import io.partita.protocol.BinValues;
import io.partita.protocol.ResultCode;
import io.partita.protocol.ReturnType;

/**
 * A collection operation's arguments, checked one by one with messages naming the operation and the argument. Holds
 * the checks list and map operations share; each adds its own container-specific ones (items, keys) in a subclass.
 */
class OpArgs {
    /** An absent count: to the end of the container. */
    static final long TO_END = Long.MAX_VALUE;

    /** The start, count and return type of a get/remove by index or rank; count is 1 when not a range. */
    record Window(long start, long count, int returnType, boolean range) {
    }

    private final Operation op;
    private final String container;
    private final String returnTypeName;
    private final int[] returnTypes;

    /**
     * @param container      "list" or "map", for out-of-bounds messages
     * @param returnTypeName what a refused return type is not, e.g. "list return type"
     * @param returnTypes    the base return types (without INVERTED) the container's operations accept
     */
    OpArgs(Operation op, String container, String returnTypeName, int... returnTypes) {
        this.op = op;
        this.container = container;
        this.returnTypeName = returnTypeName;
        this.returnTypes = returnTypes;
    }

    final OperateException fail(ResultCode code, String message) {
        return new OperateException(code, op.code() + " on bin '" + op.bin() + "': " + message);
    }

    /** OP_NOT_APPLICABLE for an index or rank outside a container of n elements. */
    final OperateException outOfBounds(String what, long index, int n) {
        return fail(ResultCode.OP_NOT_APPLICABLE,
                what + " " + index + " out of bounds for a " + container + " of " + n);
    }

    final int size() {
        return op.args().size();
    }

    final void arity(int min, int max) throws OperateException {
        int n = size();
        if (n < min || n > max) {
            String expected = min == max ? String.valueOf(min) : min + " to " + max;
            throw fail(ResultCode.PARAMETER_ERROR, "takes " + expected + " arguments, got " + n);
        }
    }

    final Object arg(int i) {
        return op.args().get(i);
    }

    final long integer(int i, String what) throws OperateException {
        Object v = arg(i);
        if (!BinValues.isIntegral(v)) {
            throw fail(ResultCode.PARAMETER_ERROR, what + " must be an integer, got " + typeOf(v));
        }
        return ((Number) v).longValue();
    }

    final long count(int i) throws OperateException {
        long count = integer(i, "count");
        if (count < 0) {
            // The server reads count unsigned, so -1 would mean "to the end"; Partita refuses it instead.
            throw fail(ResultCode.PARAMETER_ERROR, "count must not be negative, got " + count);
        }
        return count;
    }

    final int returnType(int i) throws OperateException {
        long rt = integer(i, "returnType");
        long base = rt & ~(long) ReturnType.INVERTED;
        for (int known : returnTypes) { // compared as longs, so that a value beyond int range matches none
            if (base == known) {
                return (int) rt;
            }
        }
        throw fail(ResultCode.PARAMETER_ERROR, "returnType " + rt + " is not a " + returnTypeName);
    }

    /**
     * The arguments of a get/remove by index or rank (what): start, then for a range an optional count (absent: to
     * the end), then the return type, checked in that order.
     */
    final Window window(String what, boolean range) throws OperateException {
        arity(2, range ? 3 : 2);
        long start = integer(0, what);
        long count = !range ? 1 : size() == 3 ? count(1) : TO_END;
        return new Window(start, count, returnType(size() - 1), range);
    }

    /** Single-element selections refuse INVERTED (the server's OP_NOT_APPLICABLE). */
    final void rejectInverted(int returnType) throws OperateException {
        if (Results.inverted(returnType)) {
            throw fail(ResultCode.OP_NOT_APPLICABLE, "INVERTED applies only to operations that select a range");
        }
    }

    final long flags(int i, long allowed, String what) throws OperateException {
        long flags = integer(i, what);
        if ((flags & ~allowed) != 0) {
            throw fail(ResultCode.PARAMETER_ERROR, what + " " + flags + " has unknown bits (allowed: 0x"
                    + Long.toHexString(allowed) + ")");
        }
        return flags;
    }

    /** An increment: a Long or a Double (Integer, Short, Byte and Float are accepted as aliases). */
    final Object delta(int i) throws OperateException {
        Object v = arg(i);
        if (!BinValues.isIntegral(v) && !BinValues.isFloating(v)) {
            throw fail(ResultCode.PARAMETER_ERROR, "delta must be an integer or a double, got " + typeOf(v));
        }
        return BinValues.canonicalize(v);
    }

    /** A value to compare with (any bin value), canonical. */
    final Object value(int i, String what) throws OperateException {
        return canonical(arg(i), what);
    }

    /** Argument i, which must be a type (a List or a Map), as it came. */
    final <T> T typed(int i, Class<T> type, String what) throws OperateException {
        Object v = arg(i);
        if (!type.isInstance(v)) {
            throw fail(ResultCode.PARAMETER_ERROR,
                    what + " must be a " + type.getSimpleName() + ", got " + typeOf(v));
        }
        return type.cast(v);
    }

    /** BinValues.canonicalize, its refusal turned into PARAMETER_ERROR. */
    final Object canonical(Object value, String what) throws OperateException {
        try {
            return BinValues.canonicalize(value, what);
        } catch (IllegalArgumentException e) {
            throw parameterError(e);
        }
    }

    final OperateException parameterError(IllegalArgumentException e) {
        return fail(ResultCode.PARAMETER_ERROR, e.getMessage());
    }

    static String typeOf(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName();
    }
}
