package io.partita.server.security;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The predefined roles, after Aerospike's. A user holds roles through grants ({@code io.partita.protocol.v1.Grant}),
 * each for the whole cluster, a namespace, or a set of a namespace; the data roles may be scoped, the
 * administrative ones only granted for the cluster. The name is what is stored and shown.
 */
public enum Role {
    READ("read", "get, exists, batch reads, scans, operate calls that only read", true, Privilege.READ),
    READ_WRITE("read-write", "read and write records", true, Privilege.READ, Privilege.WRITE),
    READ_WRITE_UDF("read-write-udf", "as read-write (Partita has no UDFs; kept so Aerospike role lists carry over)",
            true, Privilege.READ, Privilege.WRITE),
    WRITE("write", "put, delete, touch, operate calls that only write", true, Privilege.WRITE),
    DATA_ADMIN("data-admin", "truncate; backups and restores (export needs it for the cluster, import for the "
            + "namespaces restored)", true, Privilege.DATA_ADMIN),
    SYS_ADMIN("sys-admin", "node add, decommission, leadership hand-off", false, Privilege.SYS_ADMIN),
    USER_ADMIN("user-admin", "create, drop and change users and their roles", false, Privilege.USER_ADMIN);

    private final String roleName;
    private final String description;
    private final boolean scopable;
    private final Set<Privilege> privileges;

    Role(String roleName, String description, boolean scopable, Privilege first, Privilege... rest) {
        this.roleName = roleName;
        this.description = description;
        this.scopable = scopable;
        this.privileges = EnumSet.of(first, rest);
    }

    /** The role's name, as granted and stored: {@code read-write}. */
    public String roleName() {
        return roleName;
    }

    public String description() {
        return description;
    }

    /** Whether the role may be granted for a namespace or a set, not only for the whole cluster. */
    public boolean scopable() {
        return scopable;
    }

    public boolean allows(Privilege privilege) {
        return privileges.contains(privilege);
    }

    /** The role of a stored or requested name; empty for an unknown one (a stored unknown role grants nothing). */
    public static Optional<Role> named(String name) {
        for (Role r : values()) {
            if (r.roleName.equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The roles whose grant allows {@code privilege}, by name, for messages: "read, read-write". */
    static String namesAllowing(Privilege privilege) {
        StringBuilder b = new StringBuilder();
        for (Role r : values()) {
            if (r.allows(privilege)) {
                b.append(b.isEmpty() ? "" : ", ").append(r.roleName);
            }
        }
        return b.toString();
    }
}
