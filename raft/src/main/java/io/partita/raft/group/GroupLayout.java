package io.partita.raft.group;

import io.partita.protocol.Limits;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * Which Raft group owns which partition, and each group's Ratis id. Both follow from the cluster id and the group
 * count fixed at cluster creation, so every node and every restart derives the same layout.
 */
public final class GroupLayout {
    private final String clusterId;
    private final int groupCount;
    private final RaftGroupId[] ids;
    private final RaftGroupId metaId;
    private final Map<RaftGroupId, Integer> indexById = new HashMap<>();

    public GroupLayout(String clusterId, int groupCount) {
        if (groupCount < 1 || groupCount > Limits.PARTITION_COUNT) {
            throw new IllegalArgumentException("group count must be 1.." + Limits.PARTITION_COUNT + ", got " + groupCount);
        }
        this.clusterId = clusterId;
        this.groupCount = groupCount;
        this.ids = new RaftGroupId[groupCount];
        for (int g = 0; g < groupCount; g++) {
            ids[g] = idOf(clusterId + "/group/" + g);
            indexById.put(ids[g], g);
        }
        this.metaId = idOf(clusterId + "/meta");
    }

    private static RaftGroupId idOf(String name) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }

    /** The Ratis id of the metadata group, which replicates the cluster plan. */
    public RaftGroupId metaGroupId() {
        return metaId;
    }

    public String clusterId() {
        return clusterId;
    }

    public int groupCount() {
        return groupCount;
    }

    /** The group that owns a partition. Partitions are dealt round-robin so every group gets an equal share. */
    public int groupOf(int partitionId) {
        return partitionId % groupCount;
    }

    public RaftGroupId raftGroupId(int groupIndex) {
        return ids[groupIndex];
    }

    /** The group index of a Ratis group id, or -1 if the id is not one of this cluster's groups. */
    public int indexOf(RaftGroupId id) {
        Integer index = indexById.get(id);
        return index == null ? -1 : index;
    }
}
