package io.partita.tools.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code partita node}: membership changes of a running cluster; its subcommands do the work. */
@Command(name = "node", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {"Membership changes of a running cluster: add a node, decommission one; and a node's hand-off "
                + "of its leaderships before a planned stop.",
                "Each change is a new version of the cluster plan; the metadata group's leader then moves replicas "
                        + "in the background, a few at a time, while the cluster keeps serving. Follow the moves "
                        + "with 'partita status'."},
        subcommands = {NodeAddCommand.class, NodeDecommissionCommand.class, NodeHandOffCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"2:usage error (no subcommand given)"},
        footer = {"", "Examples: partita node add --hosts 10.0.0.1:7300 10.0.0.4:7300",
            "          partita node decommission --hosts 10.0.0.1:7300 n2 --wait",
            "          partita node hand-off --hosts 10.0.0.2:7300"})
public final class NodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("partita node: missing command (add, decommission, hand-off); see 'partita node --help'");
        err.flush();
        return ExitCodes.USAGE;
    }
}
