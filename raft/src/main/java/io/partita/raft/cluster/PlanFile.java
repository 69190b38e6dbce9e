package io.partita.raft.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.snapshot.io.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The node's durable copy of the cluster plan ({@value #FILE_NAME} in the data directory). Written atomically
 * (temp file, fsync, rename, directory fsync) so a crash leaves the old plan or the new one, and readable by the
 * node's user only: the plan holds the users' password hashes and the key that signs session tokens.
 */
public final class PlanFile {
    public static final String FILE_NAME = "cluster-plan.pb";

    private final Path file;

    public PlanFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path path() {
        return file;
    }

    /** The stored plan, or empty if this node never joined a cluster. */
    public Optional<ClusterPlan> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ClusterPlan.parseFrom(Files.readAllBytes(file)));
        } catch (InvalidProtocolBufferException e) {
            throw new IOException(file + " is not a readable cluster plan (" + e.getMessage()
                    + "); restore it from a backup or start the node with an empty data-dir", e);
        }
    }

    /** Replaces the stored plan (old or new after a crash), creating the data directory if needed. */
    public void save(ClusterPlan plan) throws IOException {
        Files.createDirectories(file.getParent());
        DurableFiles.writeAtomically(file, plan.toByteArray(), DurableFiles.Access.OWNER_ONLY);
    }
}
