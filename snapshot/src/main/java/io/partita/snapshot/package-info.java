/**
 * Snapshot format and the backup/restore library.
 *
 * <p>Empty until the snapshot issue: until then Raft groups keep their whole log (snapshots are disabled in
 * {@code RaftHost}), and there is no backup format to share between the raft module and the tools.
 */
package io.partita.snapshot;
