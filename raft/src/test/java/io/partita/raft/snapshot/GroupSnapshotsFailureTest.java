package io.partita.raft.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.storage.AppliedPosition;
import io.partita.engine.storage.GroupStore;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.StorageFaults;
import io.partita.engine.storage.StorageOptions;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.protocol.KeyDigest;
import io.partita.snapshot.group.SnapshotManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot take or install that fails midway removes its staging directory, so repeated failures (Ratis asks for
 * a snapshot again every few entries; a lagging follower retries its install at every heartbeat) leave no growing
 * pile of partial exports on a disk that may already be full.
 */
class GroupSnapshotsFailureTest {
    @TempDir
    Path dir;

    private NodeStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private GroupStore storeWithRecords() {
        store = NodeStore.open(dir.resolve("rocksdb"), StorageOptions.defaults());
        GroupStore group = store.group(0);
        List<WriteOp> ops = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ops.add(WriteOp.write(WriteKind.PUT, "test", "s", KeyDigest.compute("s", "k" + i),
                    ExistsAction.CREATE_OR_UPDATE, 0, 0, false, Map.of("v", (long) i), 1 << 20));
        }
        group.apply(new AppliedPosition(1, 10), 1_000, ops);
        return group;
    }

    private static List<Path> entries(Path snapshots) throws IOException {
        try (Stream<Path> s = Files.list(snapshots)) {
            return s.toList();
        }
    }

    @Test
    void aFailedTakeLeavesNoStagingDirectory() throws Exception {
        GroupStore group = storeWithRecords();
        Path root = dir.resolve("snapshots");
        GroupSnapshots snapshots = new GroupSnapshots(0, root);
        snapshots.take(group);
        List<Path> before = entries(root);
        assertEquals(1, before.size(), before::toString);

        // A real RocksDB failure midway: the export's flush of a dropped column family fails after the staging
        // directory was made.
        StorageFaults.dropColumnFamily(group);
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThrows(RuntimeException.class, () -> snapshots.take(group));
        }
        assertEquals(before, entries(root), "failed takes left staging directories behind");
        assertEquals(10, snapshots.latest().orElseThrow().manifest().index(), "the good snapshot stays");
    }

    @Test
    void aFailedInstallLeavesNoStagingDirectory() throws Exception {
        GroupStore group = storeWithRecords();
        Path root = dir.resolve("snapshots");
        GroupSnapshots snapshots = new GroupSnapshots(0, root);
        // The transfer breaks after the first file arrived.
        SnapshotSource breaking = (g, node, staging) -> {
            Files.write(staging.resolve("000001.sst"), new byte[4096]);
            throw new IOException("connection to " + node + " reset");
        };
        // And one that delivers a manifest its files do not match.
        SnapshotSource corrupt = (g, node, staging) -> {
            Files.write(staging.resolve("000001.sst"), new byte[4096]);
            return SnapshotManifest.of(0, 1, 20, 1, List.of(
                    new io.partita.snapshot.group.SnapshotFile("000001.sst", 4096, 12345)));
        };
        for (SnapshotSource source : List.of(breaking, corrupt, breaking)) {
            assertThrows(IOException.class, () -> snapshots.install(group, source, "n2"));
        }
        assertEquals(List.of(), entries(root), "failed installs left staging directories behind");
        assertEquals(10, group.appliedPosition().index(), "the column family was not touched");
    }
}
