package io.partita.tools.cli;

import io.partita.client.PartitaClient;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code partita truncate}: removes every record of a namespace or set, optionally only those updated before a time. */
@Command(name = "truncate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Removes every record of a namespace, or of one set of it, last updated before a time "
                + "(default: now), in every group of the cluster, and prints {\"removed\": N}. Replicated and durable "
                + "like any write; running it again is safe."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.HELP_0, ExitCodes.HELP_2, ExitCodes.HELP_4},
        footer = {"", "Examples: partita truncate test demo",
            "          partita truncate --before 2026-12-01T00:00:00Z test"})
public final class TruncateCommand extends NamespaceCommand {

    @Option(names = "--before", paramLabel = "TIME",
            description = "Only records last updated before this time: ISO-8601 (2026-12-01T00:00:00Z) or ms since "
                    + "the Unix epoch (default: now).")
    String beforeText;

    private Instant before;

    @Override
    void prepare() {
        if (beforeText == null) {
            return;
        }
        try {
            before = beforeText.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(beforeText))
                    : Instant.parse(beforeText);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("--before '" + beforeText + "' is not a time (use ISO-8601 such as "
                    + "2026-12-01T00:00:00Z, or ms since the Unix epoch)");
        }
    }

    @Override
    int run(PartitaClient client) {
        long removed = client.truncate(writePolicy().build(), namespace, set, before);
        print(RecordJson.oneLine(RecordJson.field("removed", removed)));
        return ExitCodes.OK;
    }
}
