package io.partita.tools.cli;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code partita delete}: deletes a record. */
@Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Deletes a record and prints {\"deleted\": true}; a missing record exits 1."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.HELP_0, ExitCodes.HELP_1, ExitCodes.HELP_2, ExitCodes.HELP_3, ExitCodes.HELP_4},
        footer = {"", "Example: partita delete --hosts 127.0.0.1:7300 test demo alice"})
public final class DeleteCommand extends RecordCommand {

    @Mixin
    WriteConditions.Generation generation;

    @Override
    void validate() {
        generation.validate();
    }

    @Override
    int run(PartitaClient client, Key key) {
        if (!client.delete(generation.applyTo(writePolicy()).build(), key)) {
            return notFound();
        }
        print(RecordJson.oneLine(RecordJson.field("deleted", true)));
        return ExitCodes.OK;
    }
}
