package io.partita.snapshot.backup;

/** Whether a backup stands alone or holds only the changes since a parent backup. */
public enum BackupKind {
    /** Every live record of every group. */
    FULL,
    /** Records new or changed since the parent, and the digests deleted since then. */
    INCREMENTAL
}
