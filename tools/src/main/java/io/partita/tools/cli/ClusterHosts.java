package io.partita.tools.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --hosts} option of the commands that work on a whole cluster (status, stats, backup, restore): one
 * reachable node is enough, the others are found in the cluster plan or map. A picocli mixin.
 */
public final class ClusterHosts {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--hosts", paramLabel = "HOST:PORT", split = ",", defaultValue = ClientCommand.DEFAULT_HOSTS,
            description = "Client address(es) host:port of one or more nodes of the cluster; the others are found "
                    + "in the cluster plan (default: ${DEFAULT-VALUE}).")
    List<String> hosts;

    /**
     * The addresses given, checked.
     *
     * @throws picocli.CommandLine.ParameterException (a usage error of the command) for an entry that is not
     *     host:port
     */
    public List<String> addresses() {
        return Hosts.parseOption(mixee, hosts);
    }
}
