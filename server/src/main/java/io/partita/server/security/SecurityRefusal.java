package io.partita.server.security;

import io.partita.protocol.ResultCode;

/** A call refused for who makes it: the result code to answer and a message that says what to do. */
public final class SecurityRefusal extends Exception {
    private final ResultCode code;

    public SecurityRefusal(ResultCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ResultCode code() {
        return code;
    }
}
