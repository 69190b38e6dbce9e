package io.partita.snapshot.backup;

import java.util.Objects;

/**
 * What a backup covers.
 *
 * @param clusterId id of the source cluster
 * @param sourceGroupCount number of Raft groups of the source cluster; the backup needs groups 0..count-1
 * @param namespaceFilter the only namespace to back up, or null for all
 * @param setFilter the only set to back up, or null for all
 * @param parent the chain an incremental backup builds on ({@code --since}), or null for a full backup; it must
 *     come from the same cluster with the same group count and filters
 */
public record BackupSpec(String clusterId, int sourceGroupCount, String namespaceFilter, String setFilter,
        BackupChain parent) {

    public BackupSpec {
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("clusterId is required (the source cluster's id)");
        }
        if (sourceGroupCount < 1) {
            throw new IllegalArgumentException("sourceGroupCount must be at least 1, got " + sourceGroupCount);
        }
        requireNullOrNonBlank("namespaceFilter", namespaceFilter);
        requireNullOrNonBlank("setFilter", setFilter);
        if (parent != null) {
            BackupManifest p = parent.latest();
            if (!p.clusterId().equals(clusterId)) {
                throw new IllegalArgumentException("the --since backup " + p.dir() + " is of cluster " + p.clusterId()
                        + ", not " + clusterId + "; take a full backup or pick a backup of this cluster");
            }
            if (p.sourceGroupCount() != sourceGroupCount) {
                throw new IllegalArgumentException("the --since backup " + p.dir() + " has " + p.sourceGroupCount()
                        + " groups but the cluster now has " + sourceGroupCount + "; take a full backup");
            }
            if (!Objects.equals(p.namespaceFilter(), namespaceFilter) || !Objects.equals(p.setFilter(), setFilter)) {
                throw new IllegalArgumentException("the --since backup " + p.dir() + " used --namespace "
                        + p.namespaceFilter() + " --set " + p.setFilter() + "; an incremental must use the same "
                        + "filters (got " + namespaceFilter + " / " + setFilter + ")");
            }
        }
    }

    /** Full without a parent, incremental with one. */
    public BackupKind kind() {
        return parent == null ? BackupKind.FULL : BackupKind.INCREMENTAL;
    }

    /** Whether an entry of {@code namespace}/{@code set} is inside the filters. */
    boolean accepts(String namespace, String set) {
        return (namespaceFilter == null || namespaceFilter.equals(namespace))
                && (setFilter == null || setFilter.equals(set));
    }

    private static void requireNullOrNonBlank(String name, String value) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(name + " must be null (no filter) or a non-blank name");
        }
    }
}
