package io.partita.protocol.tls;

/**
 * A TLS file is missing, unreadable, not the PEM expected, or its certificate is unusable (expired, key not
 * matching); the message names the file and says what to do.
 */
public final class TlsConfigException extends RuntimeException {
    public TlsConfigException(String message) {
        super(message);
    }

    public TlsConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
