package io.partita.snapshot.backup;

import java.nio.file.Path;

/** Checks a backup chain without restoring it ({@code partita backup verify DIR}). */
public final class BackupVerifier {

    private BackupVerifier() {
    }

    /**
     * Runs every check {@link BackupChain#open} runs, and also decodes every entry, collecting all problems
     * instead of stopping at the first.
     *
     * @param dir the backup directory
     * @return the report; {@link VerifyReport#ok()} when the chain can be restored
     */
    public static VerifyReport verify(Path dir) {
        Problems.Collecting problems = new Problems.Collecting();
        try {
            return new VerifyReport(dir, new ChainLoader(problems, true).load(dir), problems.found());
        } catch (BackupFormatException e) {
            throw new IllegalStateException("a collecting check never throws", e);
        }
    }
}
