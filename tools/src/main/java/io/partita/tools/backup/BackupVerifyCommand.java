package io.partita.tools.backup;

import io.partita.snapshot.backup.BackupManifest;
import io.partita.snapshot.backup.BackupVerifier;
import io.partita.snapshot.backup.VerifyReport;
import io.partita.tools.cli.ExitCodes;
import io.partita.tools.cli.VersionProvider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code partita backup verify DIR}: checks a backup and its chain without a cluster. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Checks a backup without a cluster: the manifest and its checksum, every file's size and "
                + "checksum, every compressed block, and, for an incremental backup, the chain of backups it "
                + "builds on. Every problem is listed with the file it concerns."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the backup (and its chain) is intact", "1:a problem was found (listed on stderr)",
                "2:usage error"},
        footer = {"", "Example: partita backup verify /backups/full-1"})
public final class BackupVerifyCommand implements Callable<Integer> {
    /** Exit code when the backup is damaged, incomplete or its chain is broken. */
    static final int DAMAGED = 1;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The backup directory.")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        VerifyReport report = BackupVerifier.verify(dir);
        if (!report.ok()) {
            for (VerifyReport.Problem problem : report.problems()) {
                err.println(spec.qualifiedName() + ": " + problem.file() + ": " + problem.message());
            }
            err.flush();
            return DAMAGED;
        }
        List<BackupManifest> chain = report.backups();
        BackupManifest latest = chain.get(chain.size() - 1);
        out.printf(Locale.ROOT, "%s is intact: %s of cluster %s, %,d records live at the latest backup (%s).%n",
                dir, chain.size() == 1 ? "a full backup" : "a chain of a full backup and " + (chain.size() - 1)
                        + " incremental(s)", latest.clusterId(), latest.recordsLive(), latest.createdAt());
        out.flush();
        return ExitCodes.OK;
    }
}
