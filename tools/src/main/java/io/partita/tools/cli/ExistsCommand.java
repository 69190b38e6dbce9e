package io.partita.tools.cli;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import picocli.CommandLine.Command;

/** {@code partita exists}: whether a record exists. */
@Command(name = "exists", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints {\"exists\": true} and exits 0 if the record exists, "
                + "{\"exists\": false} and exits 1 if not."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.HELP_0, ExitCodes.HELP_1, ExitCodes.HELP_2, ExitCodes.HELP_3, ExitCodes.HELP_4},
        footer = {"", "Example: partita exists --hosts 127.0.0.1:7300 test demo alice && echo present"})
public final class ExistsCommand extends RecordCommand {

    @Override
    int run(PartitaClient client, Key key) {
        boolean exists = client.exists(readPolicy(), key);
        print(RecordJson.oneLine(RecordJson.field("exists", exists)));
        return exists ? ExitCodes.OK : ExitCodes.NOT_FOUND;
    }
}
