package io.partita.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.KeyDigest;
import io.partita.protocol.Limits;
import org.junit.jupiter.api.Test;

class KeyTest {

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    @Test
    void digestsMatchAerospike() {
        // Vectors from aerospike/aerospike-client-go, key_test.go (commit 0e6b173c) (NewKey("namespace", "set", ...)).
        assertEquals("22116d253745e29fc63fdf760b6e26f7e197e01d", hex(new Key("namespace", "set", -1L).digest()));
        assertEquals("93d943aae37b017ad7e011b0c1d2e2143c2fb37d", hex(new Key("namespace", "set", 0).digest()));
        assertEquals("607cddba7cd111745ef0a3d783d57f0e83c8f311", hex(new Key("namespace", "set", "s").digest()));
        assertEquals("327e2877b8815c7aeede0d5a8620d4ef8df4a4b4",
            hex(new Key("namespace", "set", new byte[0]).digest()));
        // The namespace does not change the digest.
        assertArrayEquals(new Key("namespace", "set", "s").digest(), new Key("other", "set", "s").digest());
    }

    @Test
    void partitionIdComesFromTheDigest() {
        // 93 d9 ... -> 0xd993 & 0xfff; 16 98 ... -> 0x816.
        assertEquals(0x993, new Key("ns", "set", 0).partitionId());
        assertEquals(0x816, new Key("ns", "set", Long.MAX_VALUE).partitionId());
        Key k = new Key("ns", "users", "alice");
        assertEquals(KeyDigest.partitionId(KeyDigest.compute("users", "alice")), k.partitionId());
        assertTrue(k.partitionId() >= 0 && k.partitionId() < Limits.PARTITION_COUNT);
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> new Key("", "s", 1));
        assertThrows(IllegalArgumentException.class, () -> new Key(null, "s", 1));
        new Key("n".repeat(Limits.MAX_NAMESPACE_BYTES), "s", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Key("n".repeat(Limits.MAX_NAMESPACE_BYTES + 1), "s", 1));
        assertTrue(e.getMessage().contains("31"), e.getMessage());
        // Bytes of UTF-8, not characters: 16 two-byte characters are 32 bytes.
        assertThrows(IllegalArgumentException.class, () -> new Key("é".repeat(16), "s", 1));
        new Key("ns", "s".repeat(Limits.MAX_SET_BYTES), 1);
        e = assertThrows(IllegalArgumentException.class,
            () -> new Key("ns", "s".repeat(Limits.MAX_SET_BYTES + 1), 1));
        assertTrue(e.getMessage().contains("63"), e.getMessage());
        assertEquals("", new Key("ns", "", 1).set());
        assertEquals("", new Key("ns", null, 1).set());
        assertThrows(IllegalArgumentException.class, () -> new Key("ns", "s", (String) null));
        assertThrows(IllegalArgumentException.class, () -> new Key("ns", "s", (byte[]) null));
    }

    @Test
    void valueEquality() {
        assertEquals(new Key("ns", "s", "a"), new Key("ns", "s", "a"));
        assertEquals(new Key("ns", "s", "a").hashCode(), new Key("ns", "s", "a").hashCode());
        assertEquals(new Key("ns", "s", new byte[] {1, 2}), new Key("ns", "s", new byte[] {1, 2}));
        assertEquals(new Key("ns", "s", new byte[] {1, 2}).hashCode(),
            new Key("ns", "s", new byte[] {1, 2}).hashCode());
        assertEquals(new Key("ns", "s", 5), new Key("ns", "s", 5L));
        assertNotEquals(new Key("ns", "s", "a"), new Key("ns2", "s", "a"));
        assertNotEquals(new Key("ns", "s", "a"), new Key("ns", "t", "a"));
        assertNotEquals(new Key("ns", "s", "1"), new Key("ns", "s", 1));
        assertNotEquals(new Key("ns", "s", "a"), new Key("ns", "s", "a".getBytes()));
    }

    @Test
    void isImmutable() {
        byte[] uk = {1, 2, 3};
        Key k = new Key("ns", "s", uk);
        byte[] digest = k.digest();
        uk[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) k.userKey());
        ((byte[]) k.userKey())[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) k.userKey());
        k.digest()[0] ^= 1;
        assertArrayEquals(digest, k.digest());
        assertEquals(Long.valueOf(7), new Key("ns", "s", 7).userKey());
    }

    @Test
    void toStringShowsTheKey() {
        assertEquals("Key{ns/s/\"a\"}", new Key("ns", "s", "a").toString());
        assertEquals("Key{ns/s/7}", new Key("ns", "s", 7).toString());
        assertEquals("Key{ns/s/bytes[2]}", new Key("ns", "s", new byte[2]).toString());
    }
}
