package io.partita.snapshot.backup;

import java.nio.file.Path;

/**
 * {@link BackupWriter#openGroup} refused a group of an incremental backup because its state is at a lower Raft index
 * than the parent chain's backup of that group. Raft never goes back, so such an export came from a replica that is
 * behind or lost its data (one that was wiped, or cleared by a snapshot install), and recording it would record
 * every record written since as deleted. Read the group from another replica, or retry once this one caught up.
 */
public final class GroupBehindParentException extends RuntimeException {
    private final int group;
    private final long index;
    private final long parentIndex;

    /**
     * @param group the group
     * @param index the Raft index of the refused state
     * @param parentIndex the Raft index of the group in the parent chain's newest backup
     * @param parentDir the parent backup's directory
     */
    public GroupBehindParentException(int group, long index, long parentIndex, Path parentDir) {
        super("group " + group + " is at Raft index " + index + ", below the index " + parentIndex + " of the "
                + "previous backup " + parentDir + ": the replica it came from is behind or lost its data, and "
                + "recording it would mark later records as deleted; read the group from another replica or retry "
                + "once it has caught up");
        this.group = group;
        this.index = index;
        this.parentIndex = parentIndex;
    }

    /** The refused group. */
    public int group() {
        return group;
    }

    /** The Raft index of the refused state. */
    public long index() {
        return index;
    }

    /** The Raft index of the group in the parent chain's newest backup. */
    public long parentIndex() {
        return parentIndex;
    }
}
