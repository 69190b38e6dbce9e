package io.partita.tools.cli;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.RecordExistsAction;
import io.partita.client.WritePolicy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

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

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "create-or-update",
            converter = ExistsActionConverter.class,
            description = "create-or-update (merge bins), update-only (record must exist), replace (drop other bins), "
                    + "create-only (record must not exist) (default: ${DEFAULT-VALUE}).")
    RecordExistsAction policy;

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
        WritePolicy.Builder p = ttl.applyTo(generation.applyTo(writePolicy().existsAction(policy)));
        int gen = client.put(p.build(), key, bins);
        print(RecordJson.oneLine(RecordJson.field("generation", gen)));
        return ExitCodes.OK;
    }

    /** Reads {@code --policy} values such as {@code create-only}. */
    static final class ExistsActionConverter implements ITypeConverter<RecordExistsAction> {
        @Override
        public RecordExistsAction convert(String value) {
            String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (RecordExistsAction a : RecordExistsAction.values()) {
                if (a.name().equals(name)) {
                    return a;
                }
            }
            throw new TypeConversionException("'" + value
                    + "' is not one of create-or-update, update-only, replace, create-only");
        }
    }
}
