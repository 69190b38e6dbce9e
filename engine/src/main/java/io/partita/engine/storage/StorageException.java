package io.partita.engine.storage;

/** RocksDB failed; the message says which operation and what RocksDB reported. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
