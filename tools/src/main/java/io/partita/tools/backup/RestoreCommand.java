package io.partita.tools.backup;

import io.partita.client.ClientConfig;
import io.partita.client.ImportPolicy;
import io.partita.client.ImportRecord;
import io.partita.client.ImportResult;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.WritePolicy;
import io.partita.engine.record.RecordCodec;
import io.partita.snapshot.backup.BackupChain;
import io.partita.snapshot.backup.BackupFormatException;
import io.partita.snapshot.backup.BackupManifest;
import io.partita.tools.cli.CliTls;
import io.partita.tools.cli.ClusterHosts;
import io.partita.tools.cli.Durations;
import io.partita.tools.cli.ExitCodes;
import io.partita.tools.cli.ClientCommand;
import io.partita.tools.cli.VersionProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code partita restore}: loads a backup chain into a running cluster of any size and group count. */
@Command(name = "restore", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Loads a backup (a full backup plus its incrementals, in order) into a running cluster.",
                "The whole chain is verified first (manifests, checksums of every file): a damaged or incomplete "
                        + "backup is refused before anything is written, naming the bad file.",
                "Records go through the replicated write path (batched per Raft group), so the target may have "
                        + "any number of nodes and groups. Each record keeps its generation, expiry (void time) "
                        + "and last-update time exactly. Records whose expiry passed while in the backup are "
                        + "skipped and counted.",
                "Policies: create-only (default) skips records that exist in the cluster; replace overwrites "
                        + "them; generation overwrites only when the backup's generation is higher."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the backup was restored", "1:the backup is damaged or incomplete; nothing was written",
                "2:usage error", "4:the cluster could not take every record (unreachable, timeouts); records "
                + "written so far stay, and running the same command again is safe"},
        footer = {"", "Example: partita restore --hosts 127.0.0.1:7300 --from /backups/incr-1 --policy replace"})
public final class RestoreCommand implements Callable<Integer> {

    /** The policies as written on the command line. */
    public enum Policy {
        REPLACE(ImportPolicy.REPLACE), CREATE_ONLY(ImportPolicy.CREATE_ONLY), GENERATION(ImportPolicy.GENERATION);

        final ImportPolicy importPolicy;

        Policy(ImportPolicy importPolicy) {
            this.importPolicy = importPolicy;
        }

        static Policy parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** Records per import batch: the client splits a batch by Raft group, one request per group. */
    private static final int BATCH_RECORDS = 4096;
    /** Bytes per import batch, so that each group's share stays well under a node's request size limit. */
    private static final long BATCH_BYTES = 4L << 20;

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterHosts hosts;

    @Option(names = "--from", paramLabel = "DIR", required = true,
            description = "The backup to restore (the last of a chain: its parents are found from its manifest).")
    Path from;

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "create-only",
            description = "replace, create-only or generation (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Import batches in flight at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = Durations.class,
            description = "Time budget of each import request (about 1 MiB of one group's records), retries "
                    + "included (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        Policy chosen;
        try {
            chosen = Policy.parse(policy);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--policy must be replace, create-only or generation, "
                    + "got '" + policy + "'");
        }
        if (parallel < 1 || parallel > 256) {
            throw new ParameterException(spec.commandLine(), "--parallel must be 1..256, got " + parallel);
        }
        List<String> addresses = hosts.addresses();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BackupChain chain;
        try {
            chain = BackupChain.open(from);
        } catch (BackupFormatException e) {
            return fail(err, e.getMessage() + " Nothing was restored.", 1);
        }
        List<BackupManifest> backups = chain.backups();
        out.printf(Locale.ROOT, "Restoring %,d records from %s (%s) into %s, policy %s.%n",
                chain.finalRecordCount(), from, backups.size() == 1 ? "a full backup"
                        : "a full backup + " + (backups.size() - 1) + " incremental(s)",
                String.join(",", addresses), policy);
        out.println("Path: replicated write path (records batched per Raft group through each group's leader).");
        out.flush();
        try (PartitaClient client = PartitaClient.connect(CliTls.apply(ClientConfig.builder()).seeds(addresses).build())) {
            Outcome outcome = restore(chain, client, chosen.importPolicy, err);
            out.printf(Locale.ROOT, "Restored in %.1f s: written %,d, skipped (exists) %,d, skipped (older "
                            + "generation) %,d, skipped (expired) %,d; %,.0f records/s, %s/s.%n",
                    outcome.seconds, outcome.result.written(), outcome.result.skippedExisting(),
                    outcome.result.skippedGeneration(), outcome.result.expired() + outcome.expiredInBackup,
                    outcome.records / Math.max(outcome.seconds, 1e-3),
                    Progress.bytes((long) (outcome.bytes / Math.max(outcome.seconds, 1e-3))));
            out.flush();
            return ExitCodes.OK;
        } catch (PartitaException e) {
            return fail(err, "the cluster did not take every record: " + e.getMessage() + " Records written so far "
                    + "stay; running the same command again is safe.", ExitCodes.UNAVAILABLE);
        } catch (IOException e) {
            return fail(err, "reading the backup failed: " + e.getMessage() + " Records written so far stay; "
                    + "check the backup with 'partita backup verify " + from + "'.", ExitCodes.UNAVAILABLE);
        }
    }

    private record Outcome(ImportResult result, long expiredInBackup, long records, long bytes, double seconds) {
    }

    private Outcome restore(BackupChain chain, PartitaClient client, ImportPolicy importPolicy, PrintWriter err)
            throws IOException {
        Semaphore inFlight = new Semaphore(parallel);
        AtomicReference<ImportResult> total = new AtomicReference<>(ImportResult.EMPTY);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        long[] expired = new long[1];
        long[] batchBytes = new long[1];
        List<ImportRecord> batch = new ArrayList<>();
        long now = System.currentTimeMillis();
        // The budget, not a retry count, bounds each request: under a bulk load elections take longer than usual.
        WritePolicy requestPolicy = WritePolicy.builder().timeoutMs(timeout.toMillis()).maxRetries(10_000).build();
        Progress progress = Progress.start(err, "restore", chain.finalRecordCount());
        try (progress) {
            Runnable flush = () -> {
                if (batch.isEmpty()) {
                    return;
                }
                List<ImportRecord> send = List.copyOf(batch);
                long sendBytes = batchBytes[0];
                batch.clear();
                batchBytes[0] = 0;
                inFlight.acquireUninterruptibly();
                pending.add(client.importRecordsAsync(requestPolicy, send, importPolicy).whenComplete((r, e) -> {
                    inFlight.release();
                    if (e != null) {
                        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        failure.compareAndSet(null, cause instanceof RuntimeException re ? re
                                : new IllegalStateException(cause));
                    } else {
                        total.accumulateAndGet(r, ImportResult::plus);
                        progress.add(send.size(), sendBytes);
                    }
                }));
                pending.removeIf(CompletableFuture::isDone);
            };
            chain.forEachFinalRecord((namespace, set, digest, record) -> {
                if (failure.get() != null) {
                    throw failure.get();
                }
                long voidTime = RecordCodec.voidTimeMs(record);
                if (voidTime != 0 && voidTime <= now) {
                    expired[0]++;
                    progress.add(1, 0);
                    return;
                }
                batch.add(new ImportRecord(namespace, set, digest, record));
                batchBytes[0] += record.length;
                if (batch.size() >= BATCH_RECORDS || batchBytes[0] >= BATCH_BYTES) {
                    flush.run();
                }
            });
            flush.run();
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Outcome(total.get(), expired[0], progress.records(), progress.bytes(),
                progress.elapsedSeconds());
    }

    private int fail(PrintWriter err, String message, int code) {
        err.println(spec.qualifiedName() + ": " + ClientCommand.oneLine(message));
        err.flush();
        return code;
    }
}
