package io.partita.server.security;

import io.partita.protocol.v1.Grant;
import io.partita.protocol.v1.User;
import java.util.List;

/**
 * Who makes a call when users and roles are on: a logged-in user (by name, with the credential version and end of
 * their session; their grants are looked up at each check, so a revoke reaches open streams too) or a node of the
 * cluster (proven by its certificate; nodes may do everything, as they hold every record anyway).
 */
public final class Principal {
    private final String name;
    private final boolean node;
    private final long expiresMs;
    private final long credentialVersion;

    private Principal(String name, boolean node, long expiresMs, long credentialVersion) {
        this.name = name;
        this.node = node;
        this.expiresMs = expiresMs;
        this.credentialVersion = credentialVersion;
    }

    /** A node of the cluster, by its certificate's node id. */
    public static Principal node(String nodeId) {
        return new Principal(nodeId, true, Long.MAX_VALUE, 0);
    }

    /** A user whose session ends at {@code expiresMs}. */
    public static Principal user(User user, long expiresMs) {
        return new Principal(user.getName(), false, expiresMs, user.getCredentialVersion());
    }

    /** The credential version the session was issued for (a password change ends it). */
    public long credentialVersion() {
        return credentialVersion;
    }

    /** The user name, or the node id. */
    public String name() {
        return name;
    }

    public boolean isNode() {
        return node;
    }

    public long expiresMs() {
        return expiresMs;
    }

    /**
     * Whether one of {@code grants} allows {@code privilege} on records of {@code namespace} and {@code set}. An
     * empty namespace asks for the whole cluster (only a cluster-wide grant covers it); an empty set asks for the
     * whole namespace (or, for one record, the records without a set): only a grant for the namespace or the
     * cluster covers it.
     */
    static boolean allows(List<Grant> grants, Privilege privilege, String namespace, String set) {
        for (Grant g : grants) {
            if (!Role.named(g.getRole()).map(r -> r.allows(privilege)).orElse(false)) {
                continue;
            }
            if (g.getNamespace().isEmpty()
                    || g.getNamespace().equals(namespace) && (g.getSet().isEmpty() || g.getSet().equals(set))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return (node ? "node " : "user ") + name;
    }
}
