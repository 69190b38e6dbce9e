package io.partita.tools.backup;

import io.partita.snapshot.backup.BackupChain;
import io.partita.snapshot.backup.BackupDirectoryException;
import io.partita.snapshot.backup.BackupFormatException;
import io.partita.snapshot.backup.BackupManifest;
import io.partita.snapshot.backup.BackupSpec;
import io.partita.snapshot.backup.BackupWriter;
import io.partita.tools.cli.ClusterHosts;
import io.partita.tools.cli.Durations;
import io.partita.tools.cli.ExitCodes;
import io.partita.tools.cli.ClientCommand;
import io.partita.tools.cli.VersionProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code partita backup}: an online, consistent-per-group backup of a whole cluster into a directory. */
@Command(name = "backup", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {BackupVerifyCommand.class},
        description = {"Backs up a live cluster into a directory (LZ4-compressed, checksummed).",
                "Each Raft group is streamed from its leader (or, if that fails, another replica) as it was at one "
                        + "Raft index, so every group is internally consistent while writes go on. The manifest "
                        + "(cluster id, time, per-group index, record counts, checksums) is written last: until "
                        + "then 'partita restore' refuses the directory. An interrupted backup is resumed by "
                        + "running the same command again: finished groups are kept.",
                "--since PREVIOUS stores only the records that changed (and the ones deleted) since a previous "
                        + "backup of the same cluster; restore then takes the whole chain.",
                "A replica that is installing a snapshot, catching up or empty refuses to export, and with --since "
                        + "a group whose Raft index is below the previous backup's is refused: the group is read "
                        + "from another replica, or the backup ends incomplete (exit 4) without recording it.",
                "The backup does not depend on the source cluster's node or group count: records are restored by "
                        + "their digest into any cluster."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the backup is complete", "2:usage error (bad option, a directory that holds another "
                + "backup, a --since backup of another cluster)",
                "4:incomplete: no node answered or a group could not be read from any replica (every replica "
                        + "refused, or was behind the --since backup); run the same command again to resume"},
        footer = {"", "Examples:", "  partita backup --hosts 127.0.0.1:7300 --to /backups/full-1",
            "  partita backup --hosts 127.0.0.1:7300 --to /backups/incr-1 --since /backups/full-1",
            "  partita backup verify /backups/incr-1"})
public final class BackupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterHosts hosts;

    @Option(names = "--to", paramLabel = "DIR", description = "Directory to write the backup into (created; an "
            + "unfinished backup with the same options there is resumed).")
    Path to;

    @Option(names = "--namespace", paramLabel = "NS", description = "Back up only this namespace.")
    String namespace;

    @Option(names = "--set", paramLabel = "SET", description = "Back up only this set.")
    String set;

    @Option(names = "--since", paramLabel = "DIR", description = "A previous backup (full or incremental) of the "
            + "same cluster: store only what changed after it.")
    Path since;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Groups streamed at the same time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "How long a node may take to answer the cluster-map request (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        if (to == null) {
            throw new ParameterException(spec.commandLine(), "missing --to DIR (or use 'partita backup verify DIR')");
        }
        if (parallel < 1 || parallel > 256) {
            throw new ParameterException(spec.commandLine(), "--parallel must be 1..256, got " + parallel);
        }
        List<String> addresses = hosts.addresses();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            BackupChain parent = since == null ? null : BackupChain.open(since);
            try (Channels channels = new Channels()) {
                ClusterView cluster = ClusterView.fetch(channels, addresses, timeout);
                BackupWriter writer = BackupWriter.open(to, new BackupSpec(cluster.clusterId(),
                        cluster.groupCount(), blankToNull(namespace), blankToNull(set), parent));
                Set<Integer> done = writer.completedGroups();
                if (!done.isEmpty()) {
                    err.println("Resuming the backup in " + to + ": " + done.size() + " of " + cluster.groupCount()
                            + " groups are already done.");
                }
                BackupManifest manifest = run(writer, cluster, done, channels, err);
                print(out, manifest, cluster, parent != null);
                return ExitCodes.OK;
            }
        } catch (BackupFormatException e) {
            return fail(err, "--since " + since + ": " + e.getMessage(), ExitCodes.USAGE);
        } catch (BackupDirectoryException | IllegalArgumentException e) {
            return fail(err, e.getMessage(), ExitCodes.USAGE);
        } catch (BackupException e) {
            return fail(err, e.getMessage(), ExitCodes.UNAVAILABLE);
        } catch (IOException | UncheckedIOException e) {
            return fail(err, "cannot write the backup in " + to + ": " + e.getMessage() + ". Free space or fix "
                    + "permissions, then run the same command again to resume.", ExitCodes.UNAVAILABLE);
        }
    }

    private BackupManifest run(BackupWriter writer, ClusterView cluster, Set<Integer> done, Channels channels,
                               PrintWriter err) throws IOException {
        List<Integer> todo = new ArrayList<>();
        for (int g = 0; g < cluster.groupCount(); g++) {
            if (!done.contains(g)) {
                todo.add(g);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, Math.max(1, todo.size())), r -> {
            Thread t = new Thread(r, "backup");
            t.setDaemon(true);
            return t;
        });
        List<String> failures = new ArrayList<>();
        try (Progress progress = Progress.start(err, "backup", 0)) {
            GroupExporter exporter = new GroupExporter(channels, namespace, set, progress, timeout, todo.size());
            AtomicLong groupsDone = new AtomicLong();
            List<Future<?>> futures = new ArrayList<>();
            for (int g : todo) {
                futures.add(pool.submit(() -> {
                    exporter.export(writer, g, cluster.sources().get(g));
                    progress.groupDone(groupsDone.incrementAndGet(), todo.size());
                    return null;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof UncheckedIOException io) {
                        throw io.getCause();
                    }
                    failures.add(e.getCause() instanceof BackupException ? e.getCause().getMessage()
                            : "group " + todo.get(i) + ": " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BackupException("interrupted; run the same command again to resume");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (!failures.isEmpty()) {
            throw new BackupException("the backup in " + to + " is incomplete (" + failures.size() + " of "
                    + todo.size() + " groups failed: " + String.join("; ", failures) + "). Run the same command "
                    + "again to resume; finished groups are kept, and restore refuses the directory until then.");
        }
        return writer.commit();
    }

    private void print(PrintWriter out, BackupManifest m, ClusterView cluster, boolean incremental) {
        out.printf(Locale.ROOT, "%s backup of cluster %s complete: %s%n", incremental ? "Incremental" : "Full",
                cluster.clusterId(), to);
        out.printf(Locale.ROOT, "  groups %d, records stored %,d, deletions %,d, %s raw, %s on disk%n",
                cluster.groupCount(), m.recordsStored(), m.deletions(), Progress.bytes(m.rawBytes()),
                Progress.bytes(m.compressedBytes()));
        out.flush();
    }

    private int fail(PrintWriter err, String message, int code) {
        err.println(spec.qualifiedName() + ": " + ClientCommand.oneLine(message));
        err.flush();
        return code;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
