package io.partita.client;

import io.partita.protocol.KeyDigest;
import io.partita.protocol.Limits;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Identifies a record: namespace, set and user key (a string, a long or a byte array).
 *
 * <p>The 20-byte digest (RIPEMD-160 of set and user key, exactly as Aerospike computes it) is computed once, at
 * construction, and selects the record's partition. Keys are immutable and compare by value: namespace, set and
 * user key (byte-array keys by content).
 */
public final class Key {

    private final String namespace;
    private final String set;
    private final Object userKey; // String, Long or byte[] (private copy)
    private final byte[] digest;

    /**
     * A key with a string user key.
     *
     * @param namespace non-empty, at most {@link Limits#MAX_NAMESPACE_BYTES} bytes of UTF-8
     * @param set       at most {@link Limits#MAX_SET_BYTES} bytes of UTF-8; empty or {@code null} means no set
     * @param userKey   the user key, not null
     * @throws IllegalArgumentException if a name is invalid or the user key is null
     */
    public Key(String namespace, String set, String userKey) {
        this(namespace, set, (Object) requireKey(userKey), true);
    }

    /**
     * A key with an integer user key.
     *
     * @param namespace non-empty, at most {@link Limits#MAX_NAMESPACE_BYTES} bytes of UTF-8
     * @param set       at most {@link Limits#MAX_SET_BYTES} bytes of UTF-8; empty or {@code null} means no set
     * @param userKey   the user key
     * @throws IllegalArgumentException if a name is invalid
     */
    public Key(String namespace, String set, long userKey) {
        this(namespace, set, (Object) userKey, true);
    }

    /**
     * A key with a byte-array user key; the array is copied.
     *
     * @param namespace non-empty, at most {@link Limits#MAX_NAMESPACE_BYTES} bytes of UTF-8
     * @param set       at most {@link Limits#MAX_SET_BYTES} bytes of UTF-8; empty or {@code null} means no set
     * @param userKey   the user key, not null
     * @throws IllegalArgumentException if a name is invalid or the user key is null
     */
    public Key(String namespace, String set, byte[] userKey) {
        this(namespace, set, requireKey(userKey).clone(), true);
    }

    private Key(String namespace, String set, Object userKey, boolean internal) {
        if (namespace == null || namespace.isEmpty()) {
            throw new IllegalArgumentException("namespace must not be empty");
        }
        int nsBytes = namespace.getBytes(StandardCharsets.UTF_8).length;
        if (nsBytes > Limits.MAX_NAMESPACE_BYTES) {
            throw new IllegalArgumentException("namespace '" + namespace + "' is " + nsBytes
                + " bytes of UTF-8; the limit is " + Limits.MAX_NAMESPACE_BYTES);
        }
        String s = set == null ? "" : set;
        int setBytes = s.getBytes(StandardCharsets.UTF_8).length;
        if (setBytes > Limits.MAX_SET_BYTES) {
            throw new IllegalArgumentException("set '" + s + "' is " + setBytes + " bytes of UTF-8; the limit is "
                + Limits.MAX_SET_BYTES);
        }
        this.namespace = namespace;
        this.set = s;
        this.userKey = userKey;
        this.digest = KeyDigest.compute(s, userKey);
    }

    private static <T> T requireKey(T userKey) {
        if (userKey == null) {
            throw new IllegalArgumentException("user key must not be null");
        }
        return userKey;
    }

    /** The namespace. */
    public String namespace() {
        return namespace;
    }

    /** The set name; empty when the key has no set. */
    public String set() {
        return set;
    }

    /** The user key: a {@code String}, a {@code Long} or a copy of the {@code byte[]}. */
    public Object userKey() {
        return userKey instanceof byte[] ? ((byte[]) userKey).clone() : userKey;
    }

    /** A copy of the 20-byte RIPEMD-160 digest of set and user key. */
    public byte[] digest() {
        return digest.clone();
    }

    /** The partition, in [0, {@link Limits#PARTITION_COUNT}), the key belongs to. */
    public int partitionId() {
        return KeyDigest.partitionId(digest);
    }

    /** The user key without a defensive copy, for the client's internals. */
    Object rawUserKey() {
        return userKey;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Key)) {
            return false;
        }
        Key k = (Key) o;
        if (!namespace.equals(k.namespace) || !set.equals(k.set)) {
            return false;
        }
        if (userKey instanceof byte[] && k.userKey instanceof byte[]) {
            return Arrays.equals((byte[]) userKey, (byte[]) k.userKey);
        }
        return userKey.equals(k.userKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, Arrays.hashCode(digest));
    }

    @Override
    public String toString() {
        String uk;
        if (userKey instanceof byte[]) {
            uk = "bytes[" + ((byte[]) userKey).length + "]";
        } else if (userKey instanceof String) {
            uk = "\"" + userKey + "\"";
        } else {
            uk = String.valueOf(userKey);
        }
        return "Key{" + namespace + "/" + set + "/" + uk + "}";
    }
}
