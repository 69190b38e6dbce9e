package io.partita.bench.backup;

import io.partita.client.Key;
import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import io.partita.snapshot.backup.BackupManifest;
import io.partita.snapshot.backup.BackupSpec;
import io.partita.snapshot.backup.BackupWriter;
import io.partita.snapshot.backup.GroupSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes a backup of made-up records without a cluster, so that the restore and backup benchmarks can start from a
 * million records in seconds (loading them with single puts would take many minutes). The records are the load
 * generator's: user keys {@code 0..N-1} (long keys) in one set, {@code bins} bins {@code bin0..} of random ASCII, so a
 * cluster restored from it can be driven by {@code partita bench} too.
 */
@Command(name = "synthetic-backup", mixinStandardHelpOptions = true,
        description = "Writes a full backup of N made-up records (for restore benchmarks).")
public final class SyntheticBackup implements Callable<Integer> {
    /** Source group count recorded in the manifest; restore does not depend on it. */
    private static final int GROUPS = 16;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "Backup directory to create.")
    Path to;

    @Option(names = "--records", defaultValue = "1000000", description = "Records (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--value-size", defaultValue = "1000", description = "Bytes per bin (default: ${DEFAULT-VALUE}).")
    int valueSize;

    @Option(names = "--namespace", defaultValue = "test", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--set", defaultValue = "bench", description = "Set (default: ${DEFAULT-VALUE}).")
    String set;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        if (records < 0 || valueSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--records must be >= 0 and --value-size "
                    + ">= 1");
        }
        long start = System.nanoTime();
        BackupManifest m = write(to, records, valueSize, namespace, set, seed);
        double secs = (System.nanoTime() - start) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        out.printf("wrote %,d records (%,d bytes raw, %,d on disk) to %s in %.1f s%n", m.recordsStored(),
                m.rawBytes(), m.compressedBytes(), to, secs);
        out.flush();
        return 0;
    }

    /** Writes the backup and returns its manifest. */
    public static BackupManifest write(Path dir, long records, int valueSize, String namespace, String set, long seed)
            throws IOException {
        BackupWriter writer = BackupWriter.open(dir, new BackupSpec("synthetic", GROUPS, null, null, null));
        GroupSink[] sinks = new GroupSink[GROUPS];
        for (int g = 0; g < GROUPS; g++) {
            sinks[g] = writer.openGroup(g, 1, 1);
        }
        SplittableRandom random = new SplittableRandom(seed);
        long now = System.currentTimeMillis();
        char[] value = new char[valueSize];
        for (long i = 0; i < records; i++) {
            for (int c = 0; c < valueSize; c++) {
                value[c] = (char) ('!' + random.nextInt(94));
            }
            Key key = new Key(namespace, set, i);
            byte[] record = RecordCodec.encode(new StoredRecord(set, 1, 0, now, Map.of("bin0", new String(value))));
            sinks[key.partitionId() % GROUPS].put(namespace, set, key.digest(), record);
        }
        for (GroupSink sink : sinks) {
            sink.finish();
        }
        return writer.commit();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SyntheticBackup()).execute(args));
    }
}
