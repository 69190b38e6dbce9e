package io.partita.snapshot.backup;

import java.util.UUID;

/**
 * An incremental backup's reference to the backup it builds on.
 *
 * @param backupId the parent's backup id
 * @param manifestChecksum the parent manifest's own checksum ({@link BackupManifest#checksum()})
 * @param dir the parent directory, relative to the child directory when possible (so a tree of backups can be
 *     moved as a whole)
 */
public record ParentLink(UUID backupId, String manifestChecksum, String dir) {
}
