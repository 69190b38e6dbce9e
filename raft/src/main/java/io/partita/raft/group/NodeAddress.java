package io.partita.raft.group;

/**
 * A node as Raft sees it.
 *
 * @param nodeId        stable node id (the Ratis peer id)
 * @param raftAddress   host:port of the node's Ratis (replication) listener
 * @param clientAddress host:port of the node's client listener, published to clients through the cluster map
 */
public record NodeAddress(String nodeId, String raftAddress, String clientAddress) {
}
