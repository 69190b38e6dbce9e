package io.partita.tools.backup;

/** A backup or restore that cannot go on; the message says why and what to do, and is shown as is. */
final class BackupException extends RuntimeException {
    BackupException(String message) {
        super(message);
    }

    BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
