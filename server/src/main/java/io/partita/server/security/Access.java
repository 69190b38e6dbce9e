package io.partita.server.security;

import io.grpc.Context;
import io.partita.protocol.ResultCode;
import io.partita.server.frontend.RequestException;
import java.util.function.LongSupplier;

/**
 * The role checks of the services' operations. Off ({@link #open()}), every check passes and nothing is looked up:
 * the hot path of a node without {@code security.enabled} is unchanged. On, the caller is the {@link Principal} the
 * {@link AuthInterceptor} put in the call's context, and a call without one is refused: a service wired without
 * the interceptor fails closed.
 *
 * <pre>{@code
 * access.require(Privilege.READ, namespace, set);   // throws RequestException NOT_AUTHENTICATED / ROLE_VIOLATION
 * }</pre>
 */
public final class Access {
    /** The caller of the current call (security on). */
    static final Context.Key<Principal> PRINCIPAL = Context.key("partita-principal");
    private static final Access OPEN = new Access(null, System::currentTimeMillis);

    private final Sessions sessions;
    private final LongSupplier nowMs;

    private Access(Sessions sessions, LongSupplier nowMs) {
        this.sessions = sessions;
        this.nowMs = nowMs;
    }

    /** Security off: every check passes. */
    public static Access open() {
        return OPEN;
    }

    /** Security on, with the node's sessions. */
    public static Access enforced(Sessions sessions, LongSupplier nowMs) {
        return new Access(sessions, nowMs);
    }

    public boolean enforced() {
        return sessions != null;
    }

    /**
     * Refuses the current call unless its caller may {@code privilege} records of {@code namespace} and {@code set}
     * (empty namespace: the whole cluster; empty set: the whole namespace, or the records without a set).
     *
     * @throws RequestException NOT_AUTHENTICATED without a caller, EXPIRED_SESSION once the session ended,
     *                          ROLE_VIOLATION without a role that allows it
     */
    public void require(Privilege privilege, String namespace, String set) throws RequestException {
        if (sessions == null) {
            return;
        }
        Principal who = PRINCIPAL.get();
        if (who == null) {
            throw new RequestException(ResultCode.NOT_AUTHENTICATED, "this cluster requires a user: log in first");
        }
        if (!allows(who, privilege, namespace, set)) {
            throw new RequestException(ResultCode.ROLE_VIOLATION, refusal(who, privilege, namespace, set));
        }
    }

    /**
     * Whether {@code who} may {@code privilege} records of {@code namespace} and {@code set}, by the grants the plan
     * holds now.
     *
     * @throws RequestException EXPIRED_SESSION once the session has ended (expired, user dropped, password changed)
     */
    boolean allows(Principal who, Privilege privilege, String namespace, String set) throws RequestException {
        if (sessions == null || who.isNode()) {
            return true;
        }
        if (who.expiresMs() <= nowMs.getAsLong()) {
            throw new RequestException(ResultCode.EXPIRED_SESSION, "the session of user '" + who.name()
                    + "' has expired; log in again");
        }
        return Principal.allows(sessions.userOf(who).getGrantsList(), privilege, namespace, set);
    }

    /** Whether the current call's caller holds {@code privilege} for the whole cluster. */
    public boolean allowed(Privilege privilege) {
        try {
            require(privilege, "", "");
            return true;
        } catch (RequestException e) {
            return false;
        }
    }

    /** The caller of the current call, or null (security off, or no caller). */
    public Principal caller() {
        return sessions == null ? null : PRINCIPAL.get();
    }

    /**
     * A context in which calls run as the user of {@code token} (a {@code Multiplex} stream's renewed token).
     *
     * @throws RequestException NOT_AUTHENTICATED or EXPIRED_SESSION if the token is not valid
     */
    public Context contextFor(String token) throws RequestException {
        return Context.current().withValue(PRINCIPAL, sessions.resolve(token));
    }

    static String refusal(Principal who, Privilege privilege, String namespace, String set) {
        String scope = namespace.isEmpty() ? "" : " in namespace '" + namespace + "'"
                + (set.isEmpty() ? "" : " set '" + set + "'");
        return who + " may not " + privilege.action() + scope + ": it needs one of the roles "
                + Role.namesAllowing(privilege) + " granted " + (scope.isEmpty() ? "for the whole cluster" : scope.strip())
                + " (partita user grant)";
    }
}
