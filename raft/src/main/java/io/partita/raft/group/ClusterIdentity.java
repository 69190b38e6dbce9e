package io.partita.raft.group;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.UUID;

/**
 * What is fixed when a cluster is created: its id and its number of Raft groups. Stored in the node's data
 * directory ({@value #FILE_NAME}) and checked on every start, so a config change cannot silently re-map partitions
 * onto different groups.
 *
 * @param clusterId  random id chosen at creation
 * @param groupCount number of Raft groups the 4096 partitions map to
 */
public record ClusterIdentity(String clusterId, int groupCount) {
    public static final String FILE_NAME = "cluster.properties";

    /**
     * Reads the identity stored under {@code dataDir}, or creates and stores a new one with {@code groupCount}.
     *
     * @throws IllegalStateException when a stored identity disagrees with {@code groupCount}
     */
    public static ClusterIdentity loadOrCreate(Path dataDir, int groupCount) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            ClusterIdentity stored = new ClusterIdentity(p.getProperty("cluster-id"),
                    Integer.parseInt(p.getProperty("raft-groups")));
            if (stored.groupCount != groupCount) {
                throw new IllegalStateException("raft-groups is fixed when the cluster is created: the data in "
                        + dataDir + " was created with " + stored.groupCount + " groups but the config says "
                        + groupCount + "; set raft-groups: " + stored.groupCount + " or use a new data-dir");
            }
            return stored;
        }
        ClusterIdentity created = new ClusterIdentity(UUID.randomUUID().toString(), groupCount);
        Files.createDirectories(dataDir);
        Properties p = new Properties();
        p.setProperty("cluster-id", created.clusterId);
        p.setProperty("raft-groups", Integer.toString(groupCount));
        Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "Partita cluster identity: fixed at creation, do not edit");
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return created;
    }
}
