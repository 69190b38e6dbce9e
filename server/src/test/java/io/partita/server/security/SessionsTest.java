package io.partita.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.ClusterPlan;
import io.partita.protocol.v1.Grant;
import io.partita.protocol.v1.SecurityState;
import io.partita.protocol.v1.User;
import io.partita.server.frontend.RequestException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Logins and tokens against the plan's users, with a clock the test moves. */
class SessionsTest {
    private static final String HASH = Passwords.hash("s3cret");
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger refreshes = new AtomicInteger();
    private final AtomicReference<ClusterPlan> plan = new AtomicReference<>(plan("c1", key(1),
            user("alice", HASH, 1)));

    private Sessions sessions() {
        return new Sessions(() -> Optional.ofNullable(plan.get()), Duration.ofMinutes(10), now::get,
                refreshes::incrementAndGet);
    }

    @Test
    void aLoginsTokenProvesItsUserOnEveryNodeUntilItExpires() throws Exception {
        Sessions.Login login = sessions().login("alice", "s3cret");
        assertEquals(now.get() + Duration.ofMinutes(10).toMillis(), login.expiresMs());
        Sessions otherNode = sessions();
        assertEquals("alice", otherNode.resolve(login.token()).name());
        now.addAndGet(Duration.ofMinutes(10).toMillis());
        RequestException expired = assertThrows(RequestException.class, () -> otherNode.resolve(login.token()));
        assertEquals(ResultCode.EXPIRED_SESSION, expired.code());
        assertTrue(expired.getMessage().contains("expired"), expired.getMessage());
    }

    @Test
    void wrongPasswordsAndUnknownUsersGetTheSameAnswer() {
        RequestException wrong = assertThrows(RequestException.class, () -> sessions().login("alice", "guess"));
        RequestException unknown = assertThrows(RequestException.class, () -> sessions().login("mallory", "s3cret"));
        assertEquals(ResultCode.INVALID_CREDENTIAL, wrong.code());
        assertEquals(wrong.code(), unknown.code());
        assertEquals(wrong.getMessage(), unknown.getMessage());
        assertTrue(refreshes.get() >= 1, "an unknown user made the node re-read the plan first");
    }

    @Test
    void forgedOrForeignTokensAreRefused() throws Exception {
        String token = sessions().login("alice", "s3cret").token();
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "A." + parts[2];
        assertEquals(ResultCode.NOT_AUTHENTICATED, assertThrows(RequestException.class,
                () -> sessions().resolve(tampered)).code());
        assertEquals(ResultCode.NOT_AUTHENTICATED, assertThrows(RequestException.class,
                () -> sessions().resolve("not a token")).code());
        plan.set(plan("c1", key(2), user("alice", HASH, 1))); // another key: another cluster's tokens
        assertEquals(ResultCode.NOT_AUTHENTICATED, assertThrows(RequestException.class,
                () -> sessions().resolve(token)).code());
    }

    /**
     * Base64 without padding leaves unused low bits in a part's last character (2 in the MAC's 43); a decoder that
     * ignores them would take other strings for the issued token. Only the token as issued checks out.
     */
    @Test
    void onlyTheTokenAsIssuedChecksOutNotAnotherSpellingOfIt() throws Exception {
        String token = sessions().login("alice", "s3cret").token();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = token.charAt(token.length() - 1);
        String respelled = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertEquals(ResultCode.NOT_AUTHENTICATED, assertThrows(RequestException.class,
                () -> sessions().resolve(respelled)).code());
    }

    @Test
    void aPasswordChangeOrADropEndsTheSessions() throws Exception {
        Sessions node = sessions();
        String token = node.login("alice", "s3cret").token();
        Principal alice = node.resolve(token);
        plan.set(plan("c1", key(1), user("alice", Passwords.hash("new"), 2)));
        RequestException changed = assertThrows(RequestException.class, () -> node.resolve(token));
        assertEquals(ResultCode.EXPIRED_SESSION, changed.code());
        assertTrue(changed.getMessage().contains("password of user 'alice' has changed"), changed.getMessage());
        assertThrows(RequestException.class, () -> node.userOf(alice), "an open stream's session ends too");
        plan.set(plan("c1", key(1)));
        assertTrue(assertThrows(RequestException.class, () -> node.resolve(token)).getMessage()
                .contains("no longer exists"));
    }

    @Test
    void withoutUsersYetLoginsAreRefusedWithAHint() {
        plan.set(ClusterPlan.newBuilder().setClusterId("c1").setVersion(1).build());
        RequestException r = assertThrows(RequestException.class, () -> sessions().login("admin", "x"));
        assertEquals(ResultCode.NOT_AUTHENTICATED, r.code());
        assertTrue(r.getMessage().contains("no users yet"), r.getMessage());
    }

    @Test
    void hashesAreSaltedAndPasswordsChecked() {
        assertNotEquals(Passwords.hash("same"), Passwords.hash("same"));
        assertTrue(Passwords.matches(HASH, "s3cret"));
        assertEquals(false, Passwords.matches(HASH, "s3creT"));
        assertEquals(false, Passwords.matches(null, "s3cret"));
        assertEquals(false, Passwords.matches("not-bcrypt", "s3cret"));
        assertTrue(HASH.startsWith("$2y$10$"), HASH);
        assertTrue(Passwords.problem("").contains("empty"));
        assertTrue(Passwords.problem("é".repeat(37)).contains("74 bytes"));
        assertEquals(null, Passwords.problem("x".repeat(72)));
    }

    static ClusterPlan plan(String clusterId, ByteString key, User... users) {
        return ClusterPlan.newBuilder().setClusterId(clusterId).setVersion(1).setSecurity(SecurityState.newBuilder()
                .setTokenKey(key).addAllUsers(java.util.List.of(users))).build();
    }

    static User user(String name, String hash, long credentialVersion) {
        return User.newBuilder().setName(name).setPasswordHash(hash).setCredentialVersion(credentialVersion)
                .addGrants(Grant.newBuilder().setRole("read")).build();
    }

    static ByteString key(int seed) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) seed);
        return ByteString.copyFrom(k);
    }
}
