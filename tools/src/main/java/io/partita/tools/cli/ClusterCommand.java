package io.partita.tools.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code partita cluster}: cluster administration; its subcommands do the work. */
@Command(name = "cluster", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {"Cluster administration."},
        subcommands = {ClusterInitCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"2:usage error (no subcommand given)"},
        footer = {"", "Example: partita cluster init --hosts 10.0.0.1:7300,10.0.0.2:7300,10.0.0.3:7300"})
public final class ClusterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("partita cluster: missing command (init); see 'partita cluster --help'");
        err.flush();
        return ExitCodes.USAGE;
    }
}
