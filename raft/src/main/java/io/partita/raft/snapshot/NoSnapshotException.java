package io.partita.raft.snapshot;

import java.io.IOException;

/**
 * The node asked for a snapshot has not taken one yet. Its log then still starts at the beginning, so a follower
 * that needs to catch up is fed from the log instead.
 */
public final class NoSnapshotException extends IOException {
    public NoSnapshotException(String message) {
        super(message);
    }
}
