package io.partita.tools.kube;

import io.partita.tools.cli.ExitCodes;
import io.partita.tools.cli.VersionProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code partita kube}: the questions the pod scripts in {@code deploy/container/} ask the Kubernetes API, answered
 * by exit code so that a shell script can branch on them.
 */
@Command(name = "kube", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {"Questions a Partita pod asks the Kubernetes API (used by deploy/container/*.sh).",
                "Inside a pod they use its service account; elsewhere set PARTITA_KUBE_API to the API's URL "
                        + "(e.g. http://127.0.0.1:8001 under 'kubectl proxy')."},
        subcommands = {KubeCommand.ScalingDown.class, KubeCommand.NodeLabel.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"2:usage error (no subcommand given)"})
public final class KubeCommand implements Callable<Integer> {
    /** Exit code of a question answered "no". */
    public static final int NO = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("partita kube: missing command (scaling-down, node-label); see "
                + "'partita kube --help'");
        return ExitCodes.USAGE;
    }

    /** Whether this pod is going away because its StatefulSet wants fewer replicas. */
    @Command(name = "scaling-down", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Answers whether the pod is being removed by a scale-down: its ordinal (the number after "
                    + "the last '-' of its name) is not below the StatefulSet's spec.replicas. A pod stopped for any "
                    + "other reason (a rolling update, an eviction, a deleted pod) comes back with the same name "
                    + "and volume, so it must not be drained."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:yes: the StatefulSet no longer wants this pod", "1:no: the pod will come back",
                    "2:usage error (the pod name does not end in -ORDINAL)",
                    "4:cannot tell (the API did not answer, or refused: see the message)"})
    static final class ScalingDown implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--pod", paramLabel = "NAME", defaultValue = "${env:POD_NAME}",
                description = "The pod's name (default: $POD_NAME).")
        String pod;

        @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "${env:POD_NAMESPACE:-default}",
                description = "The pod's namespace (default: $POD_NAMESPACE, else default).")
        String namespace;

        @Option(names = "--statefulset", paramLabel = "NAME", defaultValue = "${env:PARTITA_STATEFULSET:-partita}",
                description = "The StatefulSet's name (default: $PARTITA_STATEFULSET, else partita).")
        String statefulSet;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int ordinal = PodName.ordinal(pod == null ? "" : pod);
            if (ordinal < 0) {
                err.println("partita kube scaling-down: pod name '" + pod + "' does not end in -ORDINAL; give --pod "
                        + "or set POD_NAME (the StatefulSet's pod name)");
                return ExitCodes.USAGE;
            }
            int wanted;
            try {
                wanted = KubeApi.fromEnvironment(System.getenv()).statefulSetReplicas(namespace, statefulSet);
            } catch (IOException | RuntimeException e) {
                err.println("partita kube scaling-down: cannot tell: " + e.getMessage());
                return ExitCodes.UNAVAILABLE;
            }
            boolean leaving = ordinal >= wanted;
            out.println(pod + (leaving ? " is" : " is not") + " being scaled away: StatefulSet " + namespace + "/"
                    + statefulSet + " wants " + wanted + " replica" + (wanted == 1 ? "" : "s") + " (ordinals 0.."
                    + (wanted - 1) + ")");
            return leaving ? ExitCodes.OK : NO;
        }
    }

    /** Prints a label of the Kubernetes node (machine) the pod runs on. */
    @Command(name = "node-label", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Prints the value of a label of a Kubernetes node (machine), e.g. its zone for the "
                    + "Partita node's rack."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:printed", "1:the node has no such label", "2:usage error",
                    "4:cannot tell (the API did not answer, or refused: see the message)"})
    static final class NodeLabel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--node", paramLabel = "NAME", defaultValue = "${env:NODE_NAME}",
                description = "The Kubernetes node (default: $NODE_NAME, the pod's spec.nodeName).")
        String node;

        @Parameters(index = "0", paramLabel = "LABEL", description = "e.g. topology.kubernetes.io/zone")
        String label;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (node == null || node.isBlank()) {
                err.println("partita kube node-label: no node: give --node or set NODE_NAME");
                return ExitCodes.USAGE;
            }
            Optional<String> value;
            try {
                value = KubeApi.fromEnvironment(System.getenv()).nodeLabel(node, label);
            } catch (IOException | RuntimeException e) {
                err.println("partita kube node-label: cannot tell: " + e.getMessage());
                return ExitCodes.UNAVAILABLE;
            }
            if (value.isEmpty()) {
                err.println("partita kube node-label: node " + node + " has no label " + label);
                return NO;
            }
            spec.commandLine().getOut().println(value.get());
            return ExitCodes.OK;
        }
    }
}
