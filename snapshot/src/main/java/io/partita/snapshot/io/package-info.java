/**
 * Crash-safe file operations ({@link io.partita.snapshot.io.DurableFiles}): atomic replace, fsync of files and
 * directories, checksums. Lives here, the lowest Partita module, so the raft, server and tools modules share it.
 */
package io.partita.snapshot.io;
