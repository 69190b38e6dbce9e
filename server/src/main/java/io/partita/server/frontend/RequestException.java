package io.partita.server.frontend;

import io.partita.protocol.ResultCode;

/** A request the node refuses before doing any work; becomes a {@code Status} with this code and message. */
public final class RequestException extends Exception {
    private final ResultCode code;

    public RequestException(ResultCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ResultCode code() {
        return code;
    }
}
