package io.partita.server.frontend;

import io.partita.protocol.ResultCode;

/** A request the node refuses before doing any work; becomes a {@code Status} with this code and message. */
final class RequestException extends Exception {
    private final ResultCode code;

    RequestException(ResultCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    ResultCode code() {
        return code;
    }
}
