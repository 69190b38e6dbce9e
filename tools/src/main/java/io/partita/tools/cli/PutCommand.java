package io.partita.tools.cli;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.WritePolicy;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code partita put}: writes bins of a record. */
@Command(name = "put", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Writes bins of a record and prints its new generation: {\"generation\": N}.",
                "",
                "A value that is valid JSON is stored as JSON: 42 (integer), 4.5 (double), \"x\" (string), true/false, "
                        + "[...] (list), {...} (map with string keys), {\"$bytes\":\"<base64>\"} (bytes); "
                        + "null removes the bin. Anything else is stored as a plain string, so name=Alice works. "
                        + "Quote JSON for your shell: 'tags=[\"a\",\"b\"]'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.HELP_0, ExitCodes.HELP_1, ExitCodes.HELP_2, ExitCodes.HELP_3, ExitCodes.HELP_4},
        footer = {"", "Example: partita put --hosts 127.0.0.1:7300 test demo alice name=Alice age=30"})
public final class PutCommand extends RecordCommand {

    @Parameters(index = "3..*", paramLabel = "BIN=VALUE", arity = "1..*",
            description = "Bins to write, e.g. name=Alice age=30 'tags=[\"a\",\"b\"]'.")
    List<String> binArgs;

    @Mixin
    WriteConditions.Exists exists;

    @Mixin
    WriteConditions.Generation generation;

    @Mixin
    WriteConditions.Ttl ttl;

    private Map<String, Object> bins;

    @Override
    void validate() {
        generation.validate();
        ttl.validate();
        bins = BinValues.parseBins(binArgs);
    }

    @Override
    int run(PartitaClient client, Key key) {
        WritePolicy.Builder p = ttl.applyTo(generation.applyTo(exists.applyTo(writePolicy())));
        int gen = client.put(p.build(), key, bins);
        print(RecordJson.oneLine(RecordJson.field("generation", gen)));
        return ExitCodes.OK;
    }
}
