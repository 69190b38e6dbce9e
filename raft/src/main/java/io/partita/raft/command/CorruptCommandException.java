package io.partita.raft.command;

/** A Raft log entry that cannot be decoded. Applying it would diverge replicas, so the group must stop. */
public final class CorruptCommandException extends RuntimeException {
    public CorruptCommandException(String message) {
        super(message);
    }
}
