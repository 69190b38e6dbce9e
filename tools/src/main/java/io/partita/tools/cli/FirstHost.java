package io.partita.tools.cli;

import io.grpc.StatusRuntimeException;
import io.partita.protocol.v1.NodeDescription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finds the host an admin request goes to: the first of a list, in order, that answers {@code DescribeNode} and
 * that the caller accepts. Each probe takes at most a few seconds so that a dead host does not use up the budget of
 * the whole request. Shared by {@code cluster init} and the {@code node} commands.
 */
final class FirstHost {

    /** How long the reachability probe of one host may take at most. */
    static final Duration PROBE_DEADLINE = Duration.ofSeconds(3);

    private FirstHost() {
    }

    /**
     * The host found and what it said of itself, or (address null) why there is none.
     *
     * @param skipped  one entry per host tried and not taken: {@code host (reason)}
     * @param notTried the hosts left when the deadline passed
     */
    record Found(String address, NodeDescription description, List<String> skipped, List<String> notTried) {
        boolean ok() {
            return address != null;
        }

        /** Why no host was taken, e.g. {@code a:1 (UNAVAILABLE: Connection refused); not tried within 5s: b:1}. */
        String why(Duration timeout) {
            return String.join(", ", skipped) + (notTried.isEmpty() ? "" : "; not tried within "
                    + Durations.format(timeout) + ": " + String.join(", ", notTried));
        }
    }

    /**
     * Probes {@code hosts} in order until {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @param refusal why a host that answered is not usable (e.g. it is not in a cluster), or null to take it
     */
    static Found find(AdminClient admin, List<String> hosts, long deadlineNanos,
                      Function<NodeDescription, String> refusal) {
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                return new Found(null, null, skipped, List.copyOf(hosts.subList(i, hosts.size())));
            }
            Duration probe = left.compareTo(PROBE_DEADLINE) < 0 ? left : PROBE_DEADLINE;
            NodeDescription d;
            try {
                d = admin.describe(host, probe);
            } catch (StatusRuntimeException e) {
                skipped.add(host + " (" + AdminClient.describe(e, probe) + ")");
                continue;
            }
            String refused = refusal.apply(d);
            if (refused != null) {
                skipped.add(host + " (" + refused + ")");
                continue;
            }
            return new Found(host, d, skipped, List.of());
        }
        return new Found(null, null, skipped, List.of());
    }

    /** Accepts every host that answers. */
    static String any(NodeDescription d) {
        return null;
    }
}
