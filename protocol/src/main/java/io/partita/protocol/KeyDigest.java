package io.partita.protocol;

import io.partita.protocol.v1.Key;
import java.nio.charset.StandardCharsets;

/**
 * Aerospike-compatible key digest: RIPEMD-160 over the set name (UTF-8), one key-type byte, then the key bytes.
 *
 * <p>Key types: integers ({@code Long}, {@code Integer}, {@code Short}, {@code Byte}) are type {@value #TYPE_INTEGER}
 * as 8 bytes big-endian; strings are type {@value #TYPE_STRING} as UTF-8; byte arrays are type {@value #TYPE_BYTES},
 * raw. The namespace is not part of the digest. The digest picks the partition: see {@link #partitionId(byte[])}.
 */
public final class KeyDigest {

    /** Key-type byte of integer keys. */
    public static final int TYPE_INTEGER = 1;
    /** Key-type byte of string keys. */
    public static final int TYPE_STRING = 3;
    /** Key-type byte of byte-array keys. */
    public static final int TYPE_BYTES = 4;

    private KeyDigest() {
    }

    /**
     * Digest of a user key in a set.
     *
     * @param set     set name; {@code null} is the same as the empty set
     * @param userKey a {@code String}, {@code Long}, {@code Integer}, {@code Short}, {@code Byte} or {@code byte[]}
     * @return the 20-byte digest
     * @throws IllegalArgumentException if {@code userKey} is null or of another type
     */
    public static byte[] compute(String set, Object userKey) {
        Ripemd160 md = start(set);
        if (userKey instanceof String) {
            md.update((byte) TYPE_STRING).update(((String) userKey).getBytes(StandardCharsets.UTF_8));
        } else if (userKey instanceof Long || userKey instanceof Integer || userKey instanceof Short
            || userKey instanceof Byte) {
            appendLong(md, ((Number) userKey).longValue());
        } else if (userKey instanceof byte[]) {
            md.update((byte) TYPE_BYTES).update((byte[]) userKey);
        } else if (userKey == null) {
            throw new IllegalArgumentException("user key must not be null");
        } else {
            throw new IllegalArgumentException("unsupported user key type " + userKey.getClass().getName()
                + "; use String, Long, Integer, Short, Byte or byte[]");
        }
        return md.digest();
    }

    /**
     * Digest of a wire key (its set and user key; the namespace is ignored).
     *
     * @throws IllegalArgumentException if the key has no user key set
     */
    public static byte[] compute(Key key) {
        Ripemd160 md = start(key.getSet());
        switch (key.getUserKeyCase()) {
            case STRING_KEY:
                md.update((byte) TYPE_STRING).update(key.getStringKey().getBytes(StandardCharsets.UTF_8));
                break;
            case LONG_KEY:
                appendLong(md, key.getLongKey());
                break;
            case BYTES_KEY:
                md.update((byte) TYPE_BYTES).update(key.getBytesKey().toByteArray());
                break;
            default:
                throw new IllegalArgumentException("key in namespace '" + key.getNamespace() + "', set '"
                    + key.getSet() + "' has no user key: set string_key, long_key or bytes_key");
        }
        return md.digest();
    }

    /**
     * Partition of a digest: the low 12 bits of its first two bytes read little-endian, in
     * [0, {@link Limits#PARTITION_COUNT}).
     */
    public static int partitionId(byte[] digest) {
        if (digest.length < 2) {
            throw new IllegalArgumentException("digest too short: " + digest.length + " bytes");
        }
        return ((digest[0] & 0xFF) | (digest[1] & 0xFF) << 8) & (Limits.PARTITION_COUNT - 1);
    }

    private static Ripemd160 start(String set) {
        Ripemd160 md = new Ripemd160();
        if (set != null) {
            md.update(set.getBytes(StandardCharsets.UTF_8));
        }
        return md;
    }

    private static void appendLong(Ripemd160 md, long v) {
        md.update((byte) TYPE_INTEGER);
        for (int shift = 56; shift >= 0; shift -= 8) {
            md.update((byte) (v >>> shift));
        }
    }
}
