package io.partita.tools.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.partita.protocol.ResultCode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the {@code partita node} commands share: the request goes to the first host of {@code --hosts} that is a
 * member of a cluster (a node waiting to join cannot change the plan), and a failure is one line on stderr.
 */
abstract class NodeChangeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterHosts hosts;

    PrintWriter out;
    PrintWriter err;

    /** The command's {@code --timeout}: its whole time budget. */
    abstract Duration timeout();

    /** Checks the arguments; throws a {@link picocli.CommandLine.ParameterException} for a usage error. */
    abstract void check();

    /** Does the work until {@code deadline} ({@link System#nanoTime()}); returns the exit code. */
    abstract int run(AdminClient admin, List<String> addresses, long deadline);

    @Override
    public final Integer call() {
        List<String> addresses = hosts.addresses();
        check();
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        long deadline = System.nanoTime() + timeout().toNanos();
        try (AdminClient admin = new AdminClient()) {
            return run(admin, addresses, deadline);
        } finally {
            out.flush();
        }
    }

    /** The first host of {@code addresses} that is in a cluster, or null after saying on stderr why there is none. */
    String member(AdminClient admin, List<String> addresses, long deadline) {
        FirstHost.Found found = FirstHost.find(admin, addresses, deadline,
                d -> d.hasPlan() ? null : "not in a cluster: waits to join one");
        if (found.ok()) {
            return found.address();
        }
        fail(ExitCodes.UNAVAILABLE, "cannot reach a member of the cluster: " + found.why(timeout())
                + "; give --hosts the client address of a running member");
        return null;
    }

    /** What is left of the budget for one request, at most {@code cap}, at least 1 ms (the call then fails). */
    static Duration left(long deadline, Duration cap) {
        Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000));
        return left.compareTo(cap) < 0 ? left : cap;
    }

    /**
     * Says why a request to {@code host} failed without an answer and returns the exit code.
     *
     * @param inDoubt what the operator should know when the request may have been carried out anyway
     */
    int failed(String host, StatusRuntimeException e, Duration deadline, String inDoubt) {
        if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return fail(ExitCodes.UNAVAILABLE, "no answer from " + host + " within " + Durations.format(deadline)
                    + "; " + inDoubt);
        }
        Status.Code code = e.getStatus().getCode();
        return fail(code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED ? ExitCodes.DENIED
                : ExitCodes.UNAVAILABLE, host + ": " + AdminClient.describe(e, deadline));
    }

    /**
     * Checks a change's answer from {@code host}: null if it was made and carries the plan; else prints why not
     * ({@link #refused}, or an answer without a plan) and returns the exit code.
     */
    Integer rejected(String host, io.partita.protocol.v1.Status status, boolean hasPlan) {
        if (ResultCode.fromCode(status.getCode()) != ResultCode.OK) {
            return refused(status);
        }
        if (!hasPlan) {
            return fail(ExitCodes.UNAVAILABLE, "SERVER_ERROR: " + host + " answered without a cluster plan");
        }
        return null;
    }

    /** Prints the node's refusal as {@code CODE: message} and returns 2 for PARAMETER_ERROR, else 4. */
    int refused(io.partita.protocol.v1.Status status) {
        ResultCode code = ResultCode.fromCode(status.getCode());
        return fail(code == ResultCode.PARAMETER_ERROR ? ExitCodes.USAGE : ExitCodes.UNAVAILABLE,
                code + ": " + status.getMessage());
    }

    int fail(int exitCode, String message) {
        err.println(spec.qualifiedName() + ": " + ClientCommand.oneLine(message));
        err.flush();
        return exitCode;
    }
}
