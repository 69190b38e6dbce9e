package io.partita.tools.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.CreateUserRequest;
import io.partita.protocol.v1.DropUserRequest;
import io.partita.protocol.v1.Grant;
import io.partita.protocol.v1.GrantRolesRequest;
import io.partita.protocol.v1.ListRolesRequest;
import io.partita.protocol.v1.ListUsersRequest;
import io.partita.protocol.v1.RevokeRolesRequest;
import io.partita.protocol.v1.RoleInfo;
import io.partita.protocol.v1.SetPasswordRequest;
import io.partita.protocol.v1.Status;
import io.partita.protocol.v1.UserInfo;
import io.partita.protocol.v1.UsersGrpc;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code partita user create|drop|passwd|grant|revoke|list} and {@code partita role list}: user administration of a
 * cluster that runs with users and roles ({@code security.enabled}). The caller logs in as {@code PARTITA_USER}
 * ({@link CliUser}); new passwords are read from the terminal, or from the first line of stdin when it is not one.
 */
@Command(name = "user", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {"Users of a cluster that runs with users and roles (node config security.enabled).",
                "The command logs in as PARTITA_USER with PARTITA_PASSWORD; every subcommand but passwd of your own "
                        + "password needs role user-admin. A role is granted as ROLE (the whole cluster), "
                        + "ROLE:NAMESPACE or ROLE:NAMESPACE:SET; 'partita role list' shows the roles."},
        subcommands = {UserCommand.Create.class, UserCommand.Drop.class, UserCommand.Passwd.class,
            UserCommand.GrantRoles.class, UserCommand.RevokeRoles.class, UserCommand.ListUsers.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"2:usage error (no subcommand given)"},
        footer = {"", "Examples: partita user create alice read-write:test --hosts 10.0.0.1:7300",
            "          partita user grant alice read:analytics:events",
            "          partita user passwd admin", "          partita user list"})
public final class UserCommand implements Callable<Integer> {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("partita user: missing command (create, drop, passwd, grant, revoke, list); see 'partita user "
                + "--help'");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** What the user and role commands share: a Users stub to the first host, one-line errors, exit codes. */
    abstract static class UsersCall implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterHosts hosts;

        /** Makes the call; returns its status (and prints what it answered). */
        abstract Status run(UsersGrpc.UsersBlockingStub users, PrintWriter out);

        @Override
        public final Integer call() {
            List<String> addresses = hosts.addresses();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<String> problems = new ArrayList<>();
            for (String address : addresses) {
                ManagedChannel ch = CliUser.intercept(CliTls.channels().forTarget(address)).build();
                try {
                    Status s = run(UsersGrpc.newBlockingStub(ch).withDeadlineAfter(TIMEOUT.toMillis(),
                            TimeUnit.MILLISECONDS), out);
                    out.flush();
                    ResultCode code = ResultCode.fromCode(s.getCode());
                    if (code != ResultCode.OK) {
                        err.println(spec.qualifiedName() + ": " + code + ": " + ClientCommand.oneLine(s.getMessage()));
                        err.flush();
                    }
                    return ExitCodes.of(code);
                } catch (StatusRuntimeException e) {
                    problems.add(address + ": " + AdminClient.describe(e, TIMEOUT));
                } finally {
                    ch.shutdownNow();
                }
            }
            err.println(spec.qualifiedName() + ": no node answered: " + String.join("; ", problems));
            err.flush();
            return ExitCodes.UNAVAILABLE;
        }

        /** Grants from {@code ROLE[:NAMESPACE[:SET]]} arguments. */
        List<Grant> grants(List<String> specs) {
            List<Grant> grants = new ArrayList<>();
            for (String g : specs == null ? List.<String>of() : specs) {
                String[] parts = g.split(":", 3);
                if (parts[0].isEmpty() || parts.length > 1 && parts[1].isEmpty()) {
                    throw new ParameterException(spec.commandLine(), "'" + g + "' is not ROLE, ROLE:NAMESPACE or "
                            + "ROLE:NAMESPACE:SET");
                }
                Grant.Builder b = Grant.newBuilder().setRole(parts[0]);
                if (parts.length > 1) {
                    b.setNamespace(parts[1]);
                }
                if (parts.length > 2) {
                    b.setSet(parts[2]);
                }
                grants.add(b.build());
            }
            return grants;
        }

        /** A new password: from the terminal (asked twice), else the first line of stdin. */
        String newPassword(String user) {
            Console console = System.console();
            if (console != null) {
                char[] first = console.readPassword("New password for %s: ", user);
                char[] again = console.readPassword("Again: ");
                if (first == null || again == null || !new String(first).equals(new String(again))) {
                    throw new ParameterException(spec.commandLine(), "the two passwords differ");
                }
                return new String(first);
            }
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null) {
                    throw new ParameterException(spec.commandLine(), "no password on stdin (give it as its first "
                            + "line, or run the command in a terminal)");
                }
                return line;
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read the password from stdin: " + e);
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a user with the roles given; "
            + "reads the password.", exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:created",
                "2:usage error, or a bad name, password, role or namespace", "3:the user exists already",
                "4:no node answered", "5:not logged in as a user-admin"})
    static final class Create extends UsersCall {
        @Parameters(index = "0", paramLabel = "NAME", description = "The user's name (1-63 of A-Z a-z 0-9 _ . @ -).")
        String name;
        @Parameters(index = "1..*", paramLabel = "ROLE[:NAMESPACE[:SET]]", description = "Roles to grant.")
        List<String> roles;

        @Override
        Status run(UsersGrpc.UsersBlockingStub users, PrintWriter out) {
            List<Grant> grants = grants(roles);
            Status s = users.createUser(CreateUserRequest.newBuilder().setUser(name).setPassword(newPassword(name))
                    .addAllGrants(grants).build()).getStatus();
            printIfOk(s, out, "created user " + name);
            return s;
        }
    }

    @Command(name = "drop", mixinStandardHelpOptions = true, description = "Drops a user; their sessions end.",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:dropped", "2:no such user",
                "4:no node answered", "5:not logged in as a user-admin, or the last user-admin"})
    static final class Drop extends UsersCall {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        Status run(UsersGrpc.UsersBlockingStub users, PrintWriter out) {
            Status s = users.dropUser(DropUserRequest.newBuilder().setUser(name).build()).getStatus();
            printIfOk(s, out, "dropped user " + name);
            return s;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Sets a user's password (reads it); "
            + "the user's sessions end.", exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:changed",
                "2:no such user, or a bad password", "4:no node answered",
                "5:not logged in as that user or a user-admin"})
    static final class Passwd extends UsersCall {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        Status run(UsersGrpc.UsersBlockingStub users, PrintWriter out) {
            Status s = users.setPassword(SetPasswordRequest.newBuilder().setUser(name).setPassword(newPassword(name))
                    .build()).getStatus();
            printIfOk(s, out, "changed the password of " + name);
            return s;
        }
    }

    /** What grant and revoke share: a user and the roles to change. */
    abstract static class RoleChange extends UsersCall {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "ROLE[:NAMESPACE[:SET]]")
        List<String> roles;

        /** Sends the change; returns its status. */
        abstract Status change(UsersGrpc.UsersBlockingStub users, List<Grant> grants);

        /** What the output says once done: "granted ROLES to NAME". */
        abstract String done();

        @Override
        final Status run(UsersGrpc.UsersBlockingStub users, PrintWriter out) {
            Status s = change(users, grants(roles));
            printIfOk(s, out, done());
            return s;
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Grants roles to a user, at once on "
            + "every node.", exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:granted",
                "2:usage error, no such user, or a bad role or namespace", "4:no node answered",
                "5:not logged in as a user-admin"})
    static final class GrantRoles extends RoleChange {
        @Override
        Status change(UsersGrpc.UsersBlockingStub users, List<Grant> grants) {
            return users.grantRoles(GrantRolesRequest.newBuilder().setUser(name).addAllGrants(grants).build())
                    .getStatus();
        }

        @Override
        String done() {
            return "granted " + String.join(" ", roles) + " to " + name;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes roles of a user, at once on "
            + "every node (open sessions included).", exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:revoked", "2:usage error, no such user, or a bad role", "4:no node answered",
                "5:not logged in as a user-admin, or it would leave no user-admin"})
    static final class RevokeRoles extends RoleChange {
        @Override
        Status change(UsersGrpc.UsersBlockingStub users, List<Grant> grants) {
            return users.revokeRoles(RevokeRolesRequest.newBuilder().setUser(name).addAllGrants(grants).build())
                    .getStatus();
        }

        @Override
        String done() {
            return "revoked " + String.join(" ", roles) + " of " + name;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the users and their roles (only "
            + "yourself without user-admin).", exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed", "4:no node answered", "5:not logged in"})
    static final class ListUsers extends UsersCall {
        @Override
        Status run(UsersGrpc.UsersBlockingStub users, PrintWriter out) {
            var r = users.listUsers(ListUsersRequest.getDefaultInstance());
            if (r.getStatus().getCode() == ResultCode.OK.code()) {
                TextTable t = new TextTable("USER", "ROLES");
                for (UserInfo u : r.getUsersList()) {
                    t.row(u.getName(), String.join(" ", u.getGrantsList().stream().map(UserCommand::grantText)
                            .toList()));
                }
                t.lines("").forEach(out::println);
            }
            return r.getStatus();
        }
    }

    /** {@code partita role list}. */
    @Command(name = "role", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "The roles users can be granted.", subcommands = {RoleCommand.ListRoles.class})
    public static final class RoleCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            err.println("partita role: missing command (list); see 'partita role --help'");
            err.flush();
            return ExitCodes.USAGE;
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the roles, what they allow, "
                + "and whether they can be granted for a namespace or set.", exitCodeListHeading = "%nExit codes:%n",
                exitCodeList = {"0:listed", "4:no node answered", "5:not logged in"})
        static final class ListRoles extends UsersCall {
            @Override
            Status run(UsersGrpc.UsersBlockingStub users, PrintWriter out) {
                var r = users.listRoles(ListRolesRequest.getDefaultInstance());
                TextTable t = new TextTable("ROLE", "SCOPES", "ALLOWS");
                for (RoleInfo role : r.getRolesList()) {
                    t.row(role.getName(), role.getScopable() ? "cluster, namespace, set" : "cluster",
                            role.getDescription());
                }
                t.lines("").forEach(out::println);
                return r.getStatus();
            }
        }
    }

    static String grantText(Grant g) {
        return g.getRole() + (g.getNamespace().isEmpty() ? "" : ":" + g.getNamespace())
                + (g.getSet().isEmpty() ? "" : ":" + g.getSet());
    }

    private static void printIfOk(Status s, PrintWriter out, String line) {
        if (s.getCode() == ResultCode.OK.code()) {
            out.println(line);
        }
    }
}
