package io.partita.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.v1.Grant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which grant covers which scope, and what each role allows. */
class RoleGrantsTest {
    @Test
    void aGrantCoversItsScopeAndWhatIsInsideIt() {
        List<Grant> set = List.of(grant("read", "test", "users"));
        assertTrue(Principal.allows(set, Privilege.READ, "test", "users"));
        assertFalse(Principal.allows(set, Privilege.READ, "test", "orders"));
        assertFalse(Principal.allows(set, Privilege.READ, "test", ""), "a set grant does not cover the namespace");
        assertFalse(Principal.allows(set, Privilege.READ, "other", "users"));
        assertFalse(Principal.allows(set, Privilege.WRITE, "test", "users"));
        List<Grant> namespace = List.of(grant("read-write", "test", ""));
        assertTrue(Principal.allows(namespace, Privilege.WRITE, "test", "anything"));
        assertTrue(Principal.allows(namespace, Privilege.READ, "test", ""));
        assertFalse(Principal.allows(namespace, Privilege.READ, "", ""), "nor does a namespace grant the cluster");
        List<Grant> cluster = List.of(grant("data-admin", "", ""));
        assertTrue(Principal.allows(cluster, Privilege.DATA_ADMIN, "", ""));
        assertTrue(Principal.allows(cluster, Privilege.DATA_ADMIN, "test", "x"));
        assertFalse(Principal.allows(cluster, Privilege.READ, "test", "x"));
        assertFalse(Principal.allows(List.of(grant("superuser", "", "")), Privilege.READ, "test", "x"),
                "an unknown role grants nothing");
    }

    @Test
    void rolesAllowWhatTheirNamesSay() {
        assertEquals("read, read-write, read-write-udf", Role.namesAllowing(Privilege.READ));
        assertEquals("read-write, read-write-udf, write", Role.namesAllowing(Privilege.WRITE));
        assertEquals("data-admin", Role.namesAllowing(Privilege.DATA_ADMIN));
        assertEquals("sys-admin", Role.namesAllowing(Privilege.SYS_ADMIN));
        assertEquals("user-admin", Role.namesAllowing(Privilege.USER_ADMIN));
        assertFalse(Role.SYS_ADMIN.scopable());
        assertTrue(Role.READ.scopable());
    }

    private static Grant grant(String role, String namespace, String set) {
        return Grant.newBuilder().setRole(role).setNamespace(namespace).setSet(set).build();
    }
}
