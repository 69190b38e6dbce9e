package io.partita.snapshot.backup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@link ChainLoader} sends what it finds wrong: {@link BackupChain#open} stops at the first problem,
 * {@link BackupVerifier} collects them all.
 */
interface Problems {

    /** Reports a problem; may throw to stop the check. */
    void report(Path file, String message) throws BackupFormatException;

    /** Stops at the first problem. */
    static Problems throwing() {
        return (file, message) -> {
            throw new BackupFormatException(file, message);
        };
    }

    /** Collects every problem. */
    final class Collecting implements Problems {
        private final List<VerifyReport.Problem> found = new ArrayList<>();

        @Override
        public void report(Path file, String message) {
            found.add(new VerifyReport.Problem(file, message));
        }

        List<VerifyReport.Problem> found() {
            return found;
        }
    }
}
