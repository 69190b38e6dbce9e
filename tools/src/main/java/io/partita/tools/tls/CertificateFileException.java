package io.partita.tools.tls;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A certificate or key file that cannot be used: missing, not PEM, encrypted, a key that does not belong to its
 * certificate, a CA certificate that is not a CA. The message names the file and says what to do about it.
 */
public final class CertificateFileException extends IOException {

    CertificateFileException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /** A problem whose message already names the file (the node's own PEM reader's, {@code PemFiles}). */
    CertificateFileException(String message, Throwable cause) {
        super(message, cause);
    }

    CertificateFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
