package io.partita.bench.driver;

/** An operation failed with a result code of the store; the generator counts it under {@link #code()}. */
public final class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    /**
     * A failure.
     *
     * @param code    the store's result code
     * @param message what happened, one line
     * @param cause   the client library's exception, or {@code null}
     */
    public StoreException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The result code the failure is counted under. */
    public ErrorCode code() {
        return code;
    }
}
