package io.partita.engine.operate;

import io.partita.protocol.BinValues;
import io.partita.protocol.ResultCode;

/** The arithmetic of list and map increments (the server's cdt_calc_delta_add). */
final class Increments {
    private Increments() {
    }

    /**
     * value + delta, the stored value's type winning: an integer stays an integer (a Double delta is truncated toward
     * zero first), a double stays a double; integer overflow wraps around as the server's 64-bit arithmetic does.
     *
     * @param delta a Long or a Double ({@link OpArgs#delta})
     * @param what  the value's place for the error message, e.g. "element at index 3"
     * @throws OperateException PARAMETER_ERROR when value is not an integer or a double (nil included), as the server
     *                          answers
     */
    static Object add(OpArgs a, Object value, Object delta, String what) throws OperateException {
        if (value instanceof Long) {
            long d = delta instanceof Long ? (Long) delta : (long) (double) (Double) delta;
            return (Long) value + d;
        }
        if (value instanceof Double) {
            return (Double) value + ((Number) delta).doubleValue();
        }
        throw a.fail(ResultCode.PARAMETER_ERROR, what + " is " + BinValues.toDisplayString(value)
                + ", not an integer or a double");
    }
}
