package io.partita.engine.operate;

import io.partita.protocol.ResultCode;
import java.util.Objects;

/**
 * An operation that cannot apply: the whole {@code operate()} call fails with {@link #code()} and nothing of it is
 * stored. The message says which operation and why, for the caller.
 */
public final class OperateException extends Exception {
    private final ResultCode code;

    public OperateException(ResultCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ResultCode code() {
        return code;
    }
}
