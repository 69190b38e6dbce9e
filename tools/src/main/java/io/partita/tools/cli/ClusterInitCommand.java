package io.partita.tools.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code partita cluster init --hosts H1,H2,...}: creates a cluster of nodes that wait for it. */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Creates a cluster from nodes that run with seeds configured and wait to join one.",
                "Sends the request to the first reachable host; that node checks that all hosts agree (raft-groups, "
                        + "namespaces, fixed raft ports), places the groups, gives every node the plan and records "
                        + "it in the metadata group. Prints the cluster id, the nodes, the groups each node "
                        + "replicates and is the preferred leader of, and the metadata group.",
                "Running it again on the same hosts changes nothing and prints the existing cluster."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the cluster was created, or the hosts already form it",
                "2:usage error, or the nodes refused the request (PARAMETER_ERROR: e.g. namespaces or raft-groups "
                        + "differ, a node belongs to another cluster, fewer nodes than the replication factor)",
                "4:could not complete: no host reachable, a host the request names is unreachable (TIMEOUT), "
                        + "no answer within --timeout, or a node failed (SERVER_ERROR)"},
        footer = {"", "Example: partita cluster init --hosts 10.0.0.1:7300,10.0.0.2:7300,10.0.0.3:7300"})
public final class ClusterInitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--hosts", paramLabel = "HOST:PORT", split = ",", required = true,
            description = "Client addresses host:port of every node of the new cluster.")
    List<String> hosts;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = Durations.class,
            description = "Time budget of the whole request, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        List<String> addresses = Hosts.parseOption(spec, hosts);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClusterInit.Outcome outcome;
        try (AdminClient admin = new AdminClient()) {
            outcome = ClusterInit.run(admin, addresses, timeout);
        }
        if (!outcome.ok()) {
            err.println(spec.qualifiedName() + ": " + ClientCommand.oneLine(outcome.problem()));
            err.flush();
            return outcome.exitCode();
        }
        for (String line : PlanSummary.lines(outcome.response().getPlan(),
                outcome.response().getAlreadyInitialized())) {
            out.println(line);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
