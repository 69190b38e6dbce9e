package io.partita.tools.cli;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code partita touch}: resets a record's TTL and bumps its generation. */
@Command(name = "touch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Resets a record's time to live, bumps its generation and prints {\"generation\": N}; "
                + "a missing record exits 1."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.HELP_0, ExitCodes.HELP_1, ExitCodes.HELP_2, ExitCodes.HELP_3, ExitCodes.HELP_4},
        footer = {"", "Example: partita touch --hosts 127.0.0.1:7300 --ttl 3600 test demo alice"})
public final class TouchCommand extends RecordCommand {

    @Mixin
    WriteConditions.Ttl ttl;

    @Mixin
    WriteConditions.Generation generation;

    @Override
    void validate() {
        generation.validate();
        ttl.validate();
    }

    @Override
    int run(PartitaClient client, Key key) {
        int gen = client.touch(ttl.applyTo(generation.applyTo(writePolicy())).build(), key);
        print(RecordJson.oneLine(RecordJson.field("generation", gen)));
        return ExitCodes.OK;
    }
}
