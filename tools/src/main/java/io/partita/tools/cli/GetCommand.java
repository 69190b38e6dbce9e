package io.partita.tools.cli;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.Record;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code partita get}: reads a record and prints it as JSON. */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Reads a record and prints it as JSON: namespace, set, key, generation, ttl (seconds left, "
                + "-1 = never expires), last_update (ISO-8601, UTC) and bins (bytes as {\"$bytes\":\"<base64>\"})."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.HELP_0, ExitCodes.HELP_1, ExitCodes.HELP_2, ExitCodes.HELP_3, ExitCodes.HELP_4},
        footer = {"", "Example: partita get --hosts 127.0.0.1:7300 test demo alice"})
public final class GetCommand extends RecordCommand {

    @Option(names = "--bins", paramLabel = "BIN[,BIN...]", split = ",",
            description = "Read only these bins.")
    List<String> binNames;

    @Option(names = "--header", description = "Read only the header (generation, ttl, last_update), no bins.")
    boolean header;

    @Override
    void validate() {
        if (header && binNames != null) {
            throw new IllegalArgumentException("--header and --bins exclude each other");
        }
    }

    @Override
    int run(PartitaClient client, Key key) {
        Record record;
        if (header) {
            record = client.getHeader(readPolicy(), key);
        } else if (binNames != null) {
            record = client.get(readPolicy(), key, binNames.toArray(new String[0]));
        } else {
            record = client.get(readPolicy(), key);
        }
        if (record == null) {
            return notFound();
        }
        print(RecordJson.pretty(RecordJson.record(namespace, set, key.userKey(), record, header,
                System.currentTimeMillis())));
        return ExitCodes.OK;
    }
}
