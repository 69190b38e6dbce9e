package io.partita.client;

/** Which node may answer a read (get and getHeader); see {@link Policy#readMode()}. */
public enum ReadMode {

    /**
     * The default: the leader of the key's group answers after confirming its leadership, so a read sees every write
     * acknowledged before it started.
     */
    LINEARIZABLE,

    /**
     * Any replica of the key's group answers from its local copy, without confirming anything with the leader:
     * lower latency, load spread over the replicas, and reads keep working while the group elects a leader. The
     * answer may be stale: it never shows a write that was not applied, but may miss writes already acknowledged
     * (the replica has not applied them yet), and two reads in a row may go back in time. The client rotates the
     * replicas and retries another one when a replica cannot be reached; with no replica address known it asks the
     * leader. {@code exists} always asks the leader.
     */
    ANY_REPLICA
}
