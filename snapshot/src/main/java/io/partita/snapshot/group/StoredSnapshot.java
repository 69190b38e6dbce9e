package io.partita.snapshot.group;

import java.nio.file.Path;
import java.util.List;

/**
 * A complete snapshot in a {@link SnapshotDirectory}: its directory and its (decoded) manifest.
 *
 * @param dir      the snapshot's directory
 * @param manifest its manifest
 */
public record StoredSnapshot(Path dir, SnapshotManifest manifest) {
    /** Paths of the data files, in ingest order. */
    public List<Path> dataFiles() {
        return manifest.files().stream().map(f -> dir.resolve(f.name())).toList();
    }
}
