/**
 * The on-disk backup format: write a backup with {@link io.partita.snapshot.backup.BackupWriter}, read a chain
 * of backups with {@link io.partita.snapshot.backup.BackupChain}, check one with
 * {@link io.partita.snapshot.backup.BackupVerifier}.
 *
 * <p>Layout of a backup directory:
 * <pre>
 * manifest.json          written last, atomically; without it the directory is not a backup
 * progress.journal       only while unfinished: the groups already written (resume)
 * groups/g-00007.dat     the group's stored records (+ deletions for an incremental), LZ4 blocks with CRC32C
 * groups/g-00007.idx     the group's full live state: sorted (namespace, digest) -&gt; 64-bit record hash
 * </pre>
 * An incremental backup ({@code --since}) compares each record's hash with the parent chain's newest index and
 * stores only new or changed records; because every index holds the full live state, the final state of a chain
 * is the newest index, and each record's body is found in the newest data file that stores it.
 */
package io.partita.snapshot.backup;
