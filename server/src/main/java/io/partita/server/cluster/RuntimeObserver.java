package io.partita.server.cluster;

import io.partita.raft.group.GroupExpirer;
import io.partita.raft.group.GroupWriter;

/**
 * Watches a {@link ClusterRuntime} from outside the cluster package (metrics): told of every group the node starts
 * hosting, and gives the listener each group's writer reports its log entries to.
 */
public interface RuntimeObserver {
    /** Observes nothing. */
    RuntimeObserver NONE = new RuntimeObserver() {
        @Override
        public void groupHosted(ClusterRuntime runtime, int group) {
        }

        @Override
        public GroupWriter.BatchListener batchListener() {
            return (commands, rawBytes, encodedBytes) -> { };
        }
    };

    /** This node now hosts a replica of data group {@code group} (called once per group and runtime). */
    void groupHosted(ClusterRuntime runtime, int group);

    /** The listener every group writer reports its entries to. */
    GroupWriter.BatchListener batchListener();

    /** The listener the expirer reports its removals to. */
    default GroupExpirer.Listener expiryListener() {
        return GroupExpirer.Listener.NONE;
    }
}
