package io.partita.server.security;

import io.partita.protocol.ResultCode;
import io.partita.server.frontend.RequestException;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.SecurityState;
import io.partita.protocol.v1.SessionClaims;
import io.partita.protocol.v1.User;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Logins and session tokens on one node, against the users of the plan this node holds ({@link SecurityState}).
 * A user or credential version this node does not know yet (its plan lags the one just committed) makes it re-read
 * the plan from the metadata group first, at most once a second.
 *
 * <pre>{@code
 * Sessions.Login login = sessions.login("alice", password);   // token, or a refusal
 * Principal who = sessions.resolve(token);                   // throws RequestException
 * }</pre>
 */
public final class Sessions {
    private static final long REFRESH_INTERVAL_MS = 1000;
    /** Verified tokens kept, so a call costs a map lookup, not an HMAC; cleared whole when full. */
    private static final int VERIFIED_CACHE = 10_000;

    private final Supplier<Optional<ClusterPlan>> plans;
    private final Duration ttl;
    private final LongSupplier nowMs;
    private final Runnable refreshFromMeta;
    private final Map<String, SessionClaims> verified = new ConcurrentHashMap<>();
    private volatile Directory directory = new Directory(null, Map.of());
    private volatile long lastRefreshMs;

    /**
     * @param plans           the plan this node holds
     * @param ttl             session lifetime ({@code security.session-ttl})
     * @param nowMs           wall clock
     * @param refreshFromMeta re-reads the plan in force from the metadata group into {@code plans} (may throw)
     */
    public Sessions(Supplier<Optional<ClusterPlan>> plans, Duration ttl, LongSupplier nowMs, Runnable refreshFromMeta) {
        this.plans = plans;
        this.ttl = ttl;
        this.nowMs = nowMs;
        this.refreshFromMeta = refreshFromMeta;
    }

    /** A login's token and when it expires. */
    public record Login(String token, long expiresMs) {
    }

    /**
     * Checks a user's password and issues a session token.
     *
     * @throws RequestException INVALID_CREDENTIAL for a wrong name or password (the same answer for both),
     *                         NOT_AUTHENTICATED while the cluster has no users yet
     */
    public Login login(String user, String password) throws RequestException {
        Directory d = current();
        User u = d.users.get(user);
        if (u == null || !d.ready()) {
            d = refreshed(true);
            u = d.users.get(user);
        }
        if (!d.ready()) {
            throw new RequestException(ResultCode.NOT_AUTHENTICATED, "the cluster has no users yet (the first node "
                    + "to run it with security.enabled creates user admin within seconds); try again shortly");
        }
        if (!Passwords.matches(u == null ? null : u.getPasswordHash(), password)) {
            throw new RequestException(ResultCode.INVALID_CREDENTIAL, "wrong user name or password");
        }
        long expires = nowMs.getAsLong() + ttl.toMillis();
        SessionClaims claims = SessionClaims.newBuilder().setUser(u.getName()).setExpiresMs(expires)
                .setCredentialVersion(u.getCredentialVersion()).setClusterId(d.plan.getClusterId()).build();
        return new Login(SessionTokens.issue(d.plan.getSecurity().getTokenKey().toByteArray(), claims), expires);
    }

    /**
     * The user a token proves.
     *
     * @throws RequestException NOT_AUTHENTICATED for a token this cluster did not issue, EXPIRED_SESSION for one
     *                         that expired or was revoked (user dropped, password changed)
     */
    public Principal resolve(String token) throws RequestException {
        Directory d = current();
        if (!d.ready()) {
            d = refreshed(false);
            if (!d.ready()) {
                throw new RequestException(ResultCode.NOT_AUTHENTICATED, "the cluster has no users yet; try again "
                        + "shortly");
            }
        }
        SessionClaims c = verified.get(token);
        if (c == null) {
            try {
                c = SessionTokens.verify(d.plan.getSecurity().getTokenKey().toByteArray(), token);
            } catch (SessionTokens.InvalidTokenException e) {
                throw new RequestException(ResultCode.NOT_AUTHENTICATED, e.getMessage() + "; log in again");
            }
            if (verified.size() >= VERIFIED_CACHE) {
                verified.clear();
            }
            verified.put(token, c);
        }
        if (c.getExpiresMs() <= nowMs.getAsLong()) {
            throw new RequestException(ResultCode.EXPIRED_SESSION, "the session of user '" + c.getUser()
                    + "' expired at " + Instant.ofEpochMilli(c.getExpiresMs()) + "; log in again");
        }
        return Principal.user(liveUser(c.getUser(), c.getCredentialVersion()), c.getExpiresMs());
    }

    /**
     * The user a session belongs to as the plan holds it now (grants included).
     *
     * @throws RequestException EXPIRED_SESSION if the user was dropped or changed password since
     */
    User userOf(Principal session) throws RequestException {
        return liveUser(session.name(), session.credentialVersion());
    }

    /**
     * User {@code name} as the plan holds it, if a session for its credential version {@code credentialVersion} is
     * still valid; a user this node does not know yet, or at an older version, makes it re-read the plan first.
     *
     * @throws RequestException EXPIRED_SESSION if the user was dropped or changed password since
     */
    private User liveUser(String name, long credentialVersion) throws RequestException {
        User u = current().users.get(name);
        if (u == null || u.getCredentialVersion() < credentialVersion) {
            u = refreshed(false).users.get(name);
        }
        if (u == null) {
            throw new RequestException(ResultCode.EXPIRED_SESSION, "user '" + name + "' no longer exists");
        }
        if (u.getCredentialVersion() != credentialVersion) {
            throw new RequestException(ResultCode.EXPIRED_SESSION, "the password of user '" + name
                    + "' has changed since this session began; log in again");
        }
        return u;
    }

    /** The user a token names, for the audit log: its signature is checked, not its expiry. */
    public String userNamedBy(String token) {
        Directory d = current();
        if (!d.ready()) {
            return "-";
        }
        try {
            return SessionTokens.verify(d.plan.getSecurity().getTokenKey().toByteArray(), token).getUser();
        } catch (SessionTokens.InvalidTokenException e) {
            return "(invalid token)";
        }
    }

    /** The users of the plan this node holds (rebuilt when the plan changes). */
    private Directory current() {
        ClusterPlan plan = plans.get().orElse(null);
        Directory d = directory;
        if (d.plan != plan) {
            d = Directory.of(plan);
            directory = d;
        }
        return d;
    }

    private Directory refreshed(boolean force) {
        long now = nowMs.getAsLong();
        if (force || now - lastRefreshMs >= REFRESH_INTERVAL_MS) {
            lastRefreshMs = now;
            try {
                refreshFromMeta.run();
            } catch (RuntimeException e) {
                // The metadata group is unreachable: answer from the plan this node holds.
            }
        }
        return current();
    }

    private record Directory(ClusterPlan plan, Map<String, User> users) {
        static Directory of(ClusterPlan plan) {
            Map<String, User> users = new HashMap<>();
            if (plan != null) {
                for (User u : plan.getSecurity().getUsersList()) {
                    users.put(u.getName(), u);
                }
            }
            return new Directory(plan, Map.copyOf(users));
        }

        boolean ready() {
            return plan != null && plan.hasSecurity() && !plan.getSecurity().getTokenKey().isEmpty();
        }
    }
}
