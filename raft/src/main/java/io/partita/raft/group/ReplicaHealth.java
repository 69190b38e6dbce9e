package io.partita.raft.group;

import java.util.Locale;

/**
 * Whether this node's replica of a Raft group still applies the group's log, as reported by {@code /ready},
 * {@code partita status} and the {@code partita_raft_replica_state} metric.
 *
 * @param state  the replica's state
 * @param detail why it is not {@link State#RUNNING} (one line for the operator), empty when it is
 */
public record ReplicaHealth(State state, String detail) {

    /** The replica's state, most serious last. */
    public enum State {
        /** Applying the log normally (or caught up). */
        RUNNING,
        /**
         * Alive, but its applied index has not moved for {@link ApplyStallDetector#STUCK_AFTER} while its commit
         * index is ahead (e.g. the apply thread blocked on a RocksDB write stall).
         */
        STUCK,
        /**
         * Ratis closed the replica (an apply threw, e.g. disk full or a RocksDB error) or its state machine failed:
         * it applies nothing more until the node restarts. Its data is frozen at its last applied entry.
         */
        STOPPED,
        /** The cluster plan places a replica on this node but the node holds none (its Raft division is gone). */
        MISSING;

        /** The name in lower case, as {@code /ready} and JSON output print it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final ReplicaHealth OK = new ReplicaHealth(State.RUNNING, "");

    /** Whether the replica applies the log and may serve replica reads. */
    public boolean running() {
        return state == State.RUNNING;
    }

    /** The metric value: 0 running, 1 stuck, 2 stopped, 3 missing. */
    public int code() {
        return state.ordinal();
    }
}
