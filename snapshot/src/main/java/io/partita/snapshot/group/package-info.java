/**
 * On-disk format of a Raft group's snapshot: data files (RocksDB SST files of the group's column family, written
 * by the engine) plus a checksummed {@link io.partita.snapshot.group.SnapshotManifest}, kept in a crash-safe
 * {@link io.partita.snapshot.group.SnapshotDirectory}. This package knows nothing about RocksDB or Ratis.
 */
package io.partita.snapshot.group;
