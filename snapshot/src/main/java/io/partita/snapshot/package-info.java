/**
 * File formats shared by the nodes and the tools, independent of RocksDB and Ratis.
 *
 * <ul>
 *   <li>{@code io.partita.snapshot.group}: a Raft group's snapshot (SST files of its column family plus a manifest
 *       with the Raft position it covers and a checksum per file), used by the raft module.</li>
 *   <li>{@code io.partita.snapshot.backup}: whole-cluster backups (per-group LZ4 block files, live-state indexes,
 *       a manifest written last, incremental chains), used by {@code partita backup} and {@code restore}.</li>
 *   <li>{@code io.partita.snapshot.io}: {@link io.partita.snapshot.io.DurableFiles}, the one crash-safe file writer
 *       (atomic replace, fsync, owner-only secrets) that both formats and every other module use.</li>
 * </ul>
 */
package io.partita.snapshot;
