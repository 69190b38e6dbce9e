package io.partita.tools.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partita.client.PartitaClient;
import io.partita.client.PartitionFilter;
import io.partita.client.ScanPolicy;
import io.partita.protocol.Limits;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code partita scan}: prints every record of a namespace or set, one JSON line each. */
@Command(name = "scan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints every live record of a namespace, or of one set of it, one JSON line per record: "
                + "namespace, set, digest (hex; scans do not return user keys), generation, ttl, last_update, bins. "
                + "Each Raft group is read from one consistent point, streamed as fast as the output takes it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.HELP_0, ExitCodes.HELP_2, ExitCodes.HELP_4},
        footer = {"", "Example: partita scan --bins name,age --max 100 test demo"})
public final class ScanCommand extends NamespaceCommand {

    @Option(names = "--bins", paramLabel = "BIN[,BIN...]", split = ",", description = "Print only these bins.")
    List<String> bins;

    @Option(names = "--max", paramLabel = "N", defaultValue = "0",
            description = "Stop after N records (default: 0, all).")
    long max;

    @Option(names = "--partitions", paramLabel = "BEGIN:COUNT",
            description = "Only COUNT partitions from BEGIN (0..4095), e.g. 0:1024 (default: all).")
    String partitions;

    @Option(names = "--rate", paramLabel = "RECORDS_PER_S", defaultValue = "0",
            description = "At most this many records per second (default: 0, no limit).")
    int rate;

    private PartitionFilter filter;

    @Override
    void prepare() {
        if (max < 0 || rate < 0) {
            throw new IllegalArgumentException("--max and --rate must be 0 or more");
        }
        if (partitions == null) {
            filter = PartitionFilter.all();
            return;
        }
        String[] parts = partitions.split(":");
        try {
            filter = PartitionFilter.range(Integer.parseInt(parts[0].trim()),
                    parts.length == 2 ? Integer.parseInt(parts[1].trim()) : -1);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--partitions '" + partitions + "' is not BEGIN:COUNT within 0.."
                    + Limits.PARTITION_COUNT + " (e.g. 0:1024)");
        }
    }

    @Override
    int run(PartitaClient client) {
        long now = System.currentTimeMillis();
        client.scanPartitions(new ScanPolicy(max, rate, timeoutMs), filter, namespace, set,
                (ns, recordSet, digest, record) -> {
                    ObjectNode line = RecordJson.record(ns, recordSet, null, record, false, now);
                    line.remove("key");
                    line.put("digest", HexFormat.of().formatHex(digest));
                    print(RecordJson.oneLine(line));
                }, bins == null ? new String[0] : bins.toArray(String[]::new));
        return ExitCodes.OK;
    }
}
