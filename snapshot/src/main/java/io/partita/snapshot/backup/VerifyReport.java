package io.partita.snapshot.backup;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link BackupVerifier#verify(Path)}.
 *
 * @param dir the verified backup directory
 * @param backups the manifests that could be read, full first (possibly fewer than the chain when links are broken)
 * @param problems every problem found, each naming a file; empty when the chain is sound
 */
public record VerifyReport(Path dir, List<BackupManifest> backups, List<Problem> problems) {

    public VerifyReport {
        backups = List.copyOf(backups);
        problems = List.copyOf(problems);
    }

    /** Whether the chain can be restored. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /**
     * One problem.
     *
     * @param file the file at fault (or a backup directory)
     * @param message what is wrong and what to do
     */
    public record Problem(Path file, String message) {
    }
}
