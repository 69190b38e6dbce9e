package io.partita.tools.cli;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.WritePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code partita touch}: resets a record's TTL and bumps its generation. */
@Command(name = "touch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Resets a record's time to live, bumps its generation and prints {\"generation\": N}; "
                + "a missing record exits 1."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.HELP_0, ExitCodes.HELP_1, ExitCodes.HELP_2, ExitCodes.HELP_3, ExitCodes.HELP_4},
        footer = {"", "Example: partita touch --hosts 127.0.0.1:7300 --ttl 3600 test demo alice"})
public final class TouchCommand extends RecordCommand {

    @Option(names = "--ttl", paramLabel = "SECONDS",
            description = "New time to live: seconds, 0 = namespace default (the default), -1 = never expire, "
                    + "-2 = keep the current TTL.")
    Long ttl;

    @Option(names = "--generation", paramLabel = "N",
            description = "Touch only if the record's generation is N; else exit 3.")
    Integer generation;

    @Override
    void validate() {
        checkGeneration(generation);
        checkTtl(ttl);
    }

    @Override
    int run(PartitaClient client, Key key) {
        WritePolicy.Builder p = writePolicy();
        if (generation != null) {
            p.expectedGeneration(generation);
        }
        if (ttl != null) {
            p.ttlSeconds(ttl);
        }
        int gen = client.touch(p.build(), key);
        print(RecordJson.oneLine(RecordJson.field("generation", gen)));
        return ExitCodes.OK;
    }
}
