package io.partita.server.security;

import io.grpc.stub.StreamObserver;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.CreateUserRequest;
import io.partita.protocol.v1.DropUserRequest;
import io.partita.protocol.v1.Grant;
import io.partita.protocol.v1.GrantRolesRequest;
import io.partita.protocol.v1.ListRolesRequest;
import io.partita.protocol.v1.ListRolesResponse;
import io.partita.protocol.v1.ListUsersRequest;
import io.partita.protocol.v1.ListUsersResponse;
import io.partita.protocol.v1.LoginRequest;
import io.partita.protocol.v1.LoginResponse;
import io.partita.protocol.v1.RevokeRolesRequest;
import io.partita.protocol.v1.RoleInfo;
import io.partita.protocol.v1.SecurityState;
import io.partita.protocol.v1.SetPasswordRequest;
import io.partita.protocol.v1.Status;
import io.partita.protocol.v1.User;
import io.partita.protocol.v1.UserChangeResponse;
import io.partita.protocol.v1.UserInfo;
import io.partita.protocol.v1.UsersGrpc;
import io.partita.server.frontend.RequestException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code Users} service: logins, and user administration as changes of the plan's {@link SecurityState}
 * (committed by the metadata group, then pushed to every node, like any plan change). Passwords are hashed here,
 * before the change is proposed, so no password reaches the log or another node.
 *
 * <p>Guards an operator would expect: the last user who can administer users cannot be dropped or lose
 * user-admin (no lock-out); a user may change their own password without user-admin.
 */
public final class UserService extends UsersGrpc.UsersImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(UserService.class);
    /** As Aerospike's user names: 1..63 characters, here of a safe alphabet for logs and the CLI. */
    static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,63}");

    /** Commits a change of the plan in force (computed again if another change wins the version). */
    public interface PlanUpdater {
        ClusterPlan update(UnaryOperator<ClusterPlan> change) throws IOException;
    }

    private final Sessions sessions;
    private final Access access;
    private final PlanUpdater plans;
    private final Set<String> namespaces;

    /**
     * @param sessions   the node's sessions, null when security is off (every call then answers
     *                   SECURITY_NOT_ENABLED)
     * @param namespaces the configured namespaces, which grants may name
     */
    public UserService(Sessions sessions, Access access, PlanUpdater plans, Set<String> namespaces) {
        this.sessions = sessions;
        this.access = access;
        this.plans = plans;
        this.namespaces = Set.copyOf(namespaces);
    }

    @Override
    public void login(LoginRequest request, StreamObserver<LoginResponse> out) {
        LoginResponse.Builder r = LoginResponse.newBuilder();
        try {
            enabled();
            Sessions.Login login = sessions.login(request.getUser(), request.getPassword());
            r.setStatus(ok()).setToken(login.token()).setExpiresMs(login.expiresMs());
        } catch (RequestException e) {
            r.setStatus(status(e.code(), e.getMessage()));
        }
        reply(out, r.build());
    }

    @Override
    public void createUser(CreateUserRequest request, StreamObserver<UserChangeResponse> out) {
        change(out, () -> {
            access.require(Privilege.USER_ADMIN, "", "");
            checkName(request.getUser());
            checkPassword(request.getPassword());
            List<Grant> grants = checkGrants(request.getGrantsList());
            User user = User.newBuilder().setName(request.getUser()).setPasswordHash(Passwords.hash(request.getPassword()))
                    .addAllGrants(grants).setCredentialVersion(1).build();
            return state -> {
                if (find(state, user.getName()) >= 0) {
                    throw refused(ResultCode.USER_ALREADY_EXISTS, "user '" + user.getName() + "' exists already");
                }
                return state.toBuilder().addUsers(user).build();
            };
        });
    }

    @Override
    public void dropUser(DropUserRequest request, StreamObserver<UserChangeResponse> out) {
        change(out, () -> {
            access.require(Privilege.USER_ADMIN, "", "");
            String name = request.getUser();
            return state -> {
                int i = existing(state, name);
                SecurityState after = state.toBuilder().removeUsers(i).build();
                keepsUserAdmin(state, after, "dropping user '" + name + "'");
                return after;
            };
        });
    }

    @Override
    public void setPassword(SetPasswordRequest request, StreamObserver<UserChangeResponse> out) {
        change(out, () -> {
            Principal caller = access.caller();
            if (caller == null || caller.isNode() || !caller.name().equals(request.getUser())) {
                access.require(Privilege.USER_ADMIN, "", "");
            }
            checkPassword(request.getPassword());
            String hash = Passwords.hash(request.getPassword());
            return state -> {
                int i = existing(state, request.getUser());
                User u = state.getUsers(i);
                return state.toBuilder().setUsers(i, u.toBuilder().setPasswordHash(hash)
                        .setCredentialVersion(u.getCredentialVersion() + 1)).build();
            };
        });
    }

    @Override
    public void grantRoles(GrantRolesRequest request, StreamObserver<UserChangeResponse> out) {
        change(out, () -> {
            access.require(Privilege.USER_ADMIN, "", "");
            List<Grant> grants = checkGrants(request.getGrantsList());
            return state -> {
                int i = existing(state, request.getUser());
                Set<Grant> merged = new LinkedHashSet<>(state.getUsers(i).getGrantsList());
                merged.addAll(grants);
                return state.toBuilder().setUsers(i, state.getUsers(i).toBuilder().clearGrants().addAllGrants(merged))
                        .build();
            };
        });
    }

    @Override
    public void revokeRoles(RevokeRolesRequest request, StreamObserver<UserChangeResponse> out) {
        change(out, () -> {
            access.require(Privilege.USER_ADMIN, "", "");
            List<Grant> grants = checkGrants(request.getGrantsList());
            return state -> {
                int i = existing(state, request.getUser());
                List<Grant> kept = new ArrayList<>(state.getUsers(i).getGrantsList());
                kept.removeAll(grants);
                SecurityState after = state.toBuilder().setUsers(i, state.getUsers(i).toBuilder().clearGrants()
                        .addAllGrants(kept)).build();
                keepsUserAdmin(state, after, "revoking these roles of user '" + request.getUser() + "'");
                return after;
            };
        });
    }

    @Override
    public void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> out) {
        ListUsersResponse.Builder r = ListUsersResponse.newBuilder();
        try {
            enabled();
            Principal caller = access.caller();
            boolean all = caller != null && access.allowed(Privilege.USER_ADMIN);
            ClusterPlan plan = plans.update(UnaryOperator.identity()); // the plan in force, not this node's copy
            for (User u : plan.getSecurity().getUsersList()) {
                if (all || caller != null && caller.name().equals(u.getName())) {
                    r.addUsers(UserInfo.newBuilder().setName(u.getName()).addAllGrants(u.getGrantsList()));
                }
            }
            r.setStatus(ok());
        } catch (RequestException e) {
            r.setStatus(status(e.code(), e.getMessage()));
        } catch (IOException e) {
            r.setStatus(status(ResultCode.SERVER_ERROR, "cannot read the users: " + e.getMessage()));
        }
        reply(out, r.build());
    }

    @Override
    public void listRoles(ListRolesRequest request, StreamObserver<ListRolesResponse> out) {
        ListRolesResponse.Builder r = ListRolesResponse.newBuilder().setStatus(ok());
        for (Role role : Role.values()) {
            r.addRoles(RoleInfo.newBuilder().setName(role.roleName()).setDescription(role.description())
                    .setScopable(role.scopable()));
        }
        reply(out, r.build());
    }

    /** A user change: checks (which may refuse), then a plan change of the security state. */
    private interface Change {
        UnaryOperator<SecurityState> prepare() throws RequestException;
    }

    private void change(StreamObserver<UserChangeResponse> out, Change change) {
        Status status;
        try {
            enabled();
            UnaryOperator<SecurityState> edit = change.prepare();
            plans.update(plan -> {
                if (!plan.hasSecurity()) {
                    throw refused(ResultCode.NOT_AUTHENTICATED, "the cluster has no users yet; try again shortly");
                }
                return plan.toBuilder().setSecurity(edit.apply(plan.getSecurity())).build();
            });
            status = ok();
        } catch (RequestException e) {
            status = status(e.code(), e.getMessage());
        } catch (Refused e) {
            status = status(e.code, e.getMessage());
        } catch (IOException e) {
            LOG.warn("A user change was not committed: {}", e.getMessage());
            status = status(ResultCode.SERVER_ERROR, "the change was not committed (" + e.getMessage()
                    + "); try again");
        }
        reply(out, UserChangeResponse.newBuilder().setStatus(status).build());
    }

    private void enabled() throws RequestException {
        if (sessions == null) {
            throw new RequestException(ResultCode.SECURITY_NOT_ENABLED, "this node runs without users "
                    + "(security.enabled is false)");
        }
    }

    private static void checkName(String name) throws RequestException {
        if (!USER_NAME.matcher(name).matches()) {
            throw new RequestException(ResultCode.INVALID_USER, "user name '" + name + "' is not valid (use 1-63 "
                    + "characters of A-Z, a-z, 0-9, _, ., @ and -)");
        }
    }

    private static void checkPassword(String password) throws RequestException {
        String problem = Passwords.problem(password);
        if (problem != null) {
            throw new RequestException(ResultCode.INVALID_PASSWORD, problem);
        }
    }

    private List<Grant> checkGrants(List<Grant> grants) throws RequestException {
        for (Grant g : grants) {
            Role role = Role.named(g.getRole()).orElseThrow(() -> new RequestException(ResultCode.INVALID_ROLE,
                    "no role '" + g.getRole() + "' (partita role list shows them)"));
            if (!g.getNamespace().isEmpty() && !role.scopable()) {
                throw new RequestException(ResultCode.INVALID_ROLE, "role " + role.roleName() + " is granted for "
                        + "the whole cluster only (leave out the namespace)");
            }
            if (g.getNamespace().isEmpty() && !g.getSet().isEmpty()) {
                throw new RequestException(ResultCode.PARAMETER_ERROR, "a grant for set '" + g.getSet()
                        + "' needs its namespace");
            }
            if (!g.getNamespace().isEmpty() && !namespaces.contains(g.getNamespace())) {
                throw new RequestException(ResultCode.NAMESPACE_NOT_FOUND, "namespace '" + g.getNamespace()
                        + "' is not configured (namespaces: " + String.join(", ", namespaces.stream().sorted()
                        .toList()) + ")");
            }
        }
        return List.copyOf(new LinkedHashSet<>(grants));
    }

    private static int find(SecurityState state, String name) {
        for (int i = 0; i < state.getUsersCount(); i++) {
            if (state.getUsers(i).getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static int existing(SecurityState state, String name) {
        int i = find(state, name);
        if (i < 0) {
            throw refused(ResultCode.INVALID_USER, "no user '" + name + "'");
        }
        return i;
    }

    /** Refuses a change after which no user could administer users any more. */
    private static void keepsUserAdmin(SecurityState before, SecurityState after, String what) {
        if (countUserAdmins(before) > 0 && countUserAdmins(after) == 0) {
            throw refused(ResultCode.ROLE_VIOLATION, what + " would leave no user with role user-admin; grant it "
                    + "to another user first");
        }
    }

    private static long countUserAdmins(SecurityState state) {
        return state.getUsersList().stream().filter(u -> u.getGrantsList().stream()
                .anyMatch(g -> g.getRole().equals(Role.USER_ADMIN.roleName()))).count();
    }

    /** Thrown inside a plan change (which cannot throw checked exceptions) to refuse it. */
    private static final class Refused extends RuntimeException {
        final ResultCode code;

        Refused(ResultCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private static Refused refused(ResultCode code, String message) {
        return new Refused(code, message);
    }

    private static Status ok() {
        return Status.newBuilder().setCode(ResultCode.OK.code()).build();
    }

    private static Status status(ResultCode code, String message) {
        return Status.newBuilder().setCode(code.code()).setMessage(message).build();
    }

    private static <R> void reply(StreamObserver<R> out, R response) {
        out.onNext(response);
        out.onCompleted();
    }
}
