package io.partita.tools.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.InitClusterResponse;
import java.time.Duration;
import java.util.List;

/**
 * Creates a cluster: finds the first reachable host of the list and sends it {@code InitCluster} with every host.
 * Shared by {@code partita cluster init} and {@code partita local --nodes N}.
 */
public final class ClusterInit {

    private ClusterInit() {
    }

    /**
     * The outcome: on success the response (with the plan), else a one-line problem and an exit code.
     *
     * @param exitCode {@link ExitCodes#OK}, {@link ExitCodes#USAGE} (the nodes refused the request as given) or
     *                 {@link ExitCodes#UNAVAILABLE}
     * @param address  the host the request went to, null if none was reachable
     * @param response the node's answer, null if there was none
     * @param problem  what went wrong, null on success
     */
    public record Outcome(int exitCode, String address, InitClusterResponse response, String problem) {
        public boolean ok() {
            return exitCode == ExitCodes.OK;
        }
    }

    /** Sends {@code InitCluster(hosts)} to the first host that answers, with {@code timeout} for the whole call. */
    public static Outcome run(AdminClient admin, List<String> hosts, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        FirstHost.Found found = FirstHost.find(admin, hosts, deadline, FirstHost::any);
        if (!found.ok()) {
            return new Outcome(ExitCodes.UNAVAILABLE, null, null, "cannot reach any of the hosts: "
                    + found.why(timeout) + "; start the nodes first and check the addresses");
        }
        return init(admin, found.address(), hosts,
                Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000)), timeout);
    }

    private static Outcome init(AdminClient admin, String host, List<String> hosts, Duration left, Duration timeout) {
        InitClusterResponse r;
        try {
            r = admin.init(host, hosts, left);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                return new Outcome(ExitCodes.UNAVAILABLE, host, null, "no answer from " + host + " within "
                        + Durations.format(timeout) + "; the cluster may or may not have been created: check with "
                        + "'partita status --hosts " + String.join(",", hosts) + "' or run cluster init again "
                        + "(it reports a cluster that exists)");
            }
            return new Outcome(ExitCodes.UNAVAILABLE, host, null, host + ": " + AdminClient.describe(e, left));
        }
        ResultCode code = ResultCode.fromCode(r.getStatus().getCode());
        if (code == ResultCode.OK && r.hasPlan()) {
            return new Outcome(ExitCodes.OK, host, r, null);
        }
        if (code == ResultCode.OK) {
            return new Outcome(ExitCodes.UNAVAILABLE, host, r, "SERVER_ERROR: " + host
                    + " answered without a cluster plan");
        }
        int exit = code == ResultCode.PARAMETER_ERROR ? ExitCodes.USAGE : ExitCodes.UNAVAILABLE;
        return new Outcome(exit, host, r, code + ": " + r.getStatus().getMessage());
    }
}
