package io.partita.engine.operate;

import io.partita.protocol.OpCode;
import io.partita.protocol.BinValues;
import io.partita.protocol.ResultCode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an {@code operate()} call's operations, in order, over a record's bins: a pure function, so every replica fed
 * the same log entry ends with the same bins and answers. Record-level policy (exists action, expected generation,
 * expiry, size, generation increment) is {@link io.partita.engine.write.RecordMutator}'s; this class only moves
 * bins.
 */
public final class Operator {

    /**
     * The bins after every operation, and what each operation answered.
     *
     * @param bins    the record's bins after the last operation (empty: the record ends deleted or never existed)
     * @param results one per operation, in order ({@code null} where an operation answers nothing)
     */
    public record Evaluation(Map<String, Object> bins, List<Object> results) {
    }

    private Operator() {
    }

    /** Whether any operation may change the record (the call then goes through the Raft log). */
    public static boolean writes(List<Operation> operations) {
        for (Operation op : operations) {
            if (op.code().isWrite()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param bins    the bins the call starts from (the live record's, or none); not modified
     * @param present whether a record is there to start with (TOUCH and DELETE need one)
     * @throws OperateException if an operation cannot apply; nothing of the call is then stored
     */
    public static Evaluation evaluate(Map<String, Object> bins, boolean present, List<Operation> operations)
            throws OperateException {
        Map<String, Object> state = new LinkedHashMap<>(bins);
        Object[] results = new Object[operations.size()];
        for (int i = 0; i < results.length; i++) {
            Operation op = operations.get(i);
            present |= !state.isEmpty();
            results[i] = apply(op, state, present);
            if (op.code() == OpCode.DELETE) {
                present = false;
            }
        }
        return new Evaluation(state, Arrays.asList(results));
    }

    private static Object apply(Operation op, Map<String, Object> state, boolean present) throws OperateException {
        String bin = op.bin();
        switch (op.code()) {
            case READ:
                if (bin.isEmpty()) {
                    return present ? new LinkedHashMap<>(state) : null;
                }
                return state.get(bin);
            case READ_HEADER:
                return null;
            case WRITE:
                Object value = arg(op, 0, 1);
                if (value == null) {
                    state.remove(bin);
                } else {
                    state.put(bin, canonical(op, value));
                }
                return null;
            case ADD:
                state.put(bin, add(op, state.get(bin), arg(op, 0, 1)));
                return null;
            case APPEND:
            case PREPEND:
                state.put(bin, concat(op, state.get(bin), arg(op, 0, 1)));
                return null;
            case TOUCH:
                noArgs(op);
                if (!present) {
                    throw new OperateException(ResultCode.KEY_NOT_FOUND, "TOUCH: the record does not exist");
                }
                return null;
            case DELETE:
                noArgs(op);
                if (!present) {
                    throw new OperateException(ResultCode.KEY_NOT_FOUND, "DELETE: the record does not exist");
                }
                state.clear();
                return null;
            default:
                if (op.code().isList()) {
                    return applyList(op, state);
                }
                if (op.code().isMap()) {
                    return applyMap(op, state);
                }
                throw new OperateException(ResultCode.PARAMETER_ERROR, op.code() + " is not supported here");
        }
    }

    @SuppressWarnings("unchecked")
    private static Object applyList(Operation op, Map<String, Object> state) throws OperateException {
        Object current = state.get(op.bin());
        if (current != null && !(current instanceof List)) {
            throw notA("list", op, current);
        }
        ListOps.Applied applied = ListOps.apply(op, (List<Object>) current);
        if (applied.list() != null && applied.list() != current) {
            state.put(op.bin(), canonical(op, applied.list()));
        }
        return applied.result();
    }

    @SuppressWarnings("unchecked")
    private static Object applyMap(Operation op, Map<String, Object> state) throws OperateException {
        Object current = state.get(op.bin());
        if (current != null && !(current instanceof Map)) {
            throw notA("map", op, current);
        }
        MapOps.Applied applied = MapOps.apply(op, (Map<Object, Object>) current);
        if (applied.map() != null && applied.map() != current) {
            state.put(op.bin(), canonical(op, applied.map()));
        }
        return applied.result();
    }

    private static OperateException notA(String type, Operation op, Object current) {
        return new OperateException(ResultCode.BIN_TYPE_ERROR, op.code() + ": bin '" + op.bin() + "' holds "
                + BinValues.typeName(current) + ", not a " + type);
    }

    private static Object add(Operation op, Object current, Object delta) throws OperateException {
        if (BinValues.isIntegral(delta)) {
            if (current == null) {
                return ((Number) delta).longValue();
            }
            if (current instanceof Long l) {
                // Wraps on overflow, as Aerospike's server does (a plain 64-bit add).
                return l + ((Number) delta).longValue();
            }
        } else if (BinValues.isFloating(delta)) {
            if (current == null) {
                return ((Number) delta).doubleValue();
            }
            if (current instanceof Double d) {
                return d + ((Number) delta).doubleValue();
            }
        } else {
            throw badArg(op, "an integer or a double", delta);
        }
        throw new OperateException(ResultCode.BIN_TYPE_ERROR, "ADD: bin '" + op.bin() + "' holds "
                + BinValues.typeName(current) + ", which cannot be added to " + BinValues.typeName(delta));
    }

    private static Object concat(Operation op, Object current, Object piece) throws OperateException {
        boolean append = op.code() == OpCode.APPEND;
        if (piece instanceof String s) {
            if (current == null) {
                return s;
            }
            if (current instanceof String c) {
                return append ? c + s : s + c;
            }
        } else if (piece instanceof byte[] b) {
            if (current == null) {
                return b.clone();
            }
            if (current instanceof byte[] c) {
                byte[] first = append ? c : b;
                byte[] second = append ? b : c;
                byte[] out = new byte[first.length + second.length];
                System.arraycopy(first, 0, out, 0, first.length);
                System.arraycopy(second, 0, out, first.length, second.length);
                return out;
            }
        } else {
            throw badArg(op, "a string or bytes", piece);
        }
        throw new OperateException(ResultCode.BIN_TYPE_ERROR, op.code() + ": bin '" + op.bin() + "' holds "
                + BinValues.typeName(current) + ", which cannot take " + BinValues.typeName(piece));
    }

    private static Object canonical(Operation op, Object value) throws OperateException {
        try {
            return BinValues.canonicalize(value, "bin '" + op.bin() + "'");
        } catch (IllegalArgumentException e) {
            throw new OperateException(ResultCode.PARAMETER_ERROR, op.code() + ": " + e.getMessage());
        }
    }

    private static Object arg(Operation op, int index, int count) throws OperateException {
        if (op.args().size() != count) {
            throw new OperateException(ResultCode.PARAMETER_ERROR, op.code() + " takes " + count + " argument"
                    + (count == 1 ? "" : "s") + ", got " + op.args().size());
        }
        return op.args().get(index);
    }

    private static void noArgs(Operation op) throws OperateException {
        if (!op.args().isEmpty()) {
            throw new OperateException(ResultCode.PARAMETER_ERROR, op.code() + " takes no arguments, got "
                    + op.args().size());
        }
    }

    private static OperateException badArg(Operation op, String expected, Object got) {
        return new OperateException(ResultCode.PARAMETER_ERROR, op.code() + ": the argument must be " + expected
                + ", got " + (got == null ? "null" : BinValues.typeName(got)));
    }
}
