package io.partita.server.security;

import com.google.protobuf.InvalidProtocolBufferException;
import io.partita.protocol.v1.SessionClaims;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session tokens: {@code p1.} + base64url({@link SessionClaims}) + {@code .} + base64url(HMAC-SHA256 of the claims'
 * bytes under the cluster's token key). Any node can check a token another node issued, since the key travels with
 * the users in the plan; the token names the user's credential version, so a password change or a drop ends it.
 * {@code p1} is the format's version: a later format gets another prefix and old tokens are refused (clients log in
 * again).
 *
 * <pre>{@code
 * String token = SessionTokens.issue(key, claims);
 * SessionClaims claims = SessionTokens.verify(key, token);   // throws InvalidTokenException if forged or mangled
 * }</pre>
 */
public final class SessionTokens {
    static final String PREFIX = "p1.";
    /** Far above a real token (a user name of at most 63 characters): longer input is refused before decoding. */
    static final int MAX_CHARS = 1024;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private SessionTokens() {
    }

    /** A token is not one this cluster issued, or is not a token at all. */
    public static final class InvalidTokenException extends Exception {
        InvalidTokenException(String message) {
            super(message);
        }
    }

    public static String issue(byte[] key, SessionClaims claims) {
        byte[] body = claims.toByteArray();
        return PREFIX + ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(mac(key, body));
    }

    /** The claims of a token signed with {@code key}; expiry and revocation are the caller's to check. */
    public static SessionClaims verify(byte[] key, String token) throws InvalidTokenException {
        if (token.length() > MAX_CHARS || !token.startsWith(PREFIX)) {
            throw new InvalidTokenException("not a Partita session token");
        }
        int dot = token.indexOf('.', PREFIX.length());
        if (dot < 0) {
            throw new InvalidTokenException("not a Partita session token");
        }
        byte[] body;
        byte[] signature;
        try {
            body = DECODER.decode(token.substring(PREFIX.length(), dot));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("not a Partita session token");
        }
        // The decoder ignores the unused low bits of a part's last character: other spellings must not pass.
        if (!token.equals(PREFIX + ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(signature))) {
            throw new InvalidTokenException("not a Partita session token");
        }
        if (!MessageDigest.isEqual(mac(key, body), signature)) {
            throw new InvalidTokenException("the session token was not issued by this cluster");
        }
        try {
            return SessionClaims.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidTokenException("not a Partita session token");
        }
    }

    private static byte[] mac(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }
}
