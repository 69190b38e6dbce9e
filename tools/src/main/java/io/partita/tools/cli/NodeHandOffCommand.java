package io.partita.tools.cli;

import io.grpc.StatusRuntimeException;
import io.partita.protocol.v1.HandOffLeadershipResponse;
import io.partita.protocol.v1.LeadershipOutcome;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code partita node hand-off --hosts H}: the node at H hands its leaderships to followers before a planned stop. */
@Command(name = "hand-off", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Moves the leadership of every group a node leads to one of the group's followers.",
                "Run it before a planned stop (a rolling restart, a Kubernetes preStop hook): the groups then need "
                        + "no election when the node goes, and clients wait for none. A node stopped with SIGTERM "
                        + "does the same by itself (config key stop-hand-off, 10s by default). Once restarted and caught up, the node takes back "
                        + "the leaderships the plan gives it.",
                "--hosts names the node to hand off (exactly one host). A group none of whose followers answers "
                        + "stays led by the node; it elects a leader once the node stops."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the node leads no group any more (or led none)",
                "2:usage error",
                "4:the node kept the leadership of a group (the reason is printed), or could not be reached"},
        footer = {"", "Example: partita node hand-off --hosts 10.0.0.2:7300"})
public final class NodeHandOffCommand extends NodeChangeCommand {

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "How long the node may spend handing off, all groups together (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    Duration timeout() {
        // The node's own budget plus room for the call.
        return timeout.plusSeconds(10);
    }

    @Override
    void check() {
        if (hosts.addresses().size() != 1) {
            throw new ParameterException(spec.commandLine(), "--hosts must name exactly one node: the one to hand "
                    + "off (got " + String.join(",", hosts.addresses()) + ")");
        }
    }

    @Override
    int run(AdminClient admin, List<String> addresses, long deadline) {
        String host = addresses.get(0);
        HandOffLeadershipResponse r;
        try {
            r = admin.handOffLeadership(host, timeout, left(deadline, timeout()));
        } catch (StatusRuntimeException e) {
            return failed(host, e, timeout(), "some of its groups may have new leaders: see 'partita status'");
        }
        int kept = 0;
        for (LeadershipOutcome o : r.getGroupsList()) {
            if (o.getToNodeId().isEmpty()) {
                kept++;
                out.println(o.getGroup() + ": kept (" + o.getReason() + ")");
            } else {
                out.println(o.getGroup() + ": handed to " + o.getToNodeId());
            }
        }
        if (r.getGroupsCount() == 0) {
            out.println(host + " leads no group");
        }
        if (kept > 0) {
            return fail(ExitCodes.UNAVAILABLE, host + " still leads " + kept + " of " + r.getGroupsCount()
                    + " groups; they elect new leaders when it stops");
        }
        return ExitCodes.OK;
    }
}
