package io.partita.server.security;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Password hashing: bcrypt (Bouncy Castle's {@link OpenBSDBCrypt}), a random 16-byte salt per hash, cost 10
 * (about 50–100 ms per check on a small server: slow for guessing, fine for a login per client session).
 *
 * <pre>{@code
 * String hash = Passwords.hash("s3cret");          // stored in the user's record
 * boolean ok = Passwords.matches(hash, "s3cret");
 * }</pre>
 */
public final class Passwords {
    /** bcrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused. */
    public static final int MAX_BYTES = 72;
    static final int COST = 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Checked when the user does not exist, so a login takes as long whether or not the name is known. */
    private static final String DECOY = hash("decoy-password-never-matches");

    private Passwords() {
    }

    /** Why {@code password} may not be used, or null if it may. */
    public static String problem(String password) {
        if (password == null || password.isEmpty()) {
            return "the password is empty";
        }
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return "the password is " + bytes + " bytes of UTF-8; at most " + MAX_BYTES + " are allowed";
        }
        if (password.indexOf('\0') >= 0) {
            return "the password contains a NUL character";
        }
        return null;
    }

    /** A new salted bcrypt hash of {@code password}, which must pass {@link #problem}. */
    public static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, COST);
    }

    /** Whether {@code password} is the one {@code hash} was made from; a null hash checks a decoy (and fails). */
    public static boolean matches(String hash, String password) {
        if (password == null || problem(password) != null) {
            OpenBSDBCrypt.checkPassword(DECOY, "x".toCharArray());
            return false;
        }
        try {
            boolean ok = OpenBSDBCrypt.checkPassword(hash == null ? DECOY : hash, password.toCharArray());
            return ok && hash != null;
        } catch (IllegalArgumentException e) {
            return false; // not a bcrypt hash: matches nothing
        }
    }
}
