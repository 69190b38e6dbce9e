package io.partita.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.partita.protocol.v1.Key;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Digest vectors below come from Aerospike's own Go client tests:
 * repository aerospike/aerospike-client-go, file key_test.go (commit 0e6b173c1e0e71c5a18df237c961707be193ba34) ("Digests should be the same": NewKey("namespace",
 * "set", ...) then hex.EncodeToString(key.Digest())). The same integer vectors also appear in the Aerospike Python
 * client's digest tests.
 */
class KeyDigestTest {

    private static String hex(Object userKey) {
        return Hex.encode(KeyDigest.compute("set", userKey));
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    @Test
    void integerKeysMatchAerospike() {
        // aerospike/aerospike-client-go key_test.go, "for Integers"
        assertEquals("7185c2a47fb02c996daed26b4e01b83240aee9d4", hex(Long.MIN_VALUE));
        assertEquals("1698328974afa62c8e069860c1516f780d63dbb8", hex(Long.MAX_VALUE));
        assertEquals("d635a867b755f8f54cdc6275e6fb437df82a728c", hex(Integer.MIN_VALUE));
        assertEquals("fa8c47b8b898af1bbcb20af0d729ca68359a2645", hex(Integer.MAX_VALUE));
        assertEquals("7f41e9dd1f3fe3694be0430e04c8bfc7d51ec2af", hex(Short.MIN_VALUE));
        assertEquals("309fc9c2619c4f65ff7f4cd82085c3ee7a31fc7c", hex(Short.MAX_VALUE));
        assertEquals("93191e549f8f3548d7e2cfc958ddc8c65bcbe4c6", hex(Byte.MIN_VALUE));
        assertEquals("a58f7d98bf60e10fe369c82030b1c9dee053def9", hex(Byte.MAX_VALUE));
        assertEquals("22116d253745e29fc63fdf760b6e26f7e197e01d", hex(-1L));
        assertEquals("93d943aae37b017ad7e011b0c1d2e2143c2fb37d", hex(0L));
    }

    @Test
    void stringKeysMatchAerospike() {
        // aerospike/aerospike-client-go key_test.go, "for Strings"
        assertEquals("2819b1ff6e346a43b4f5f6b77a88bc3eaac22a83", hex(""));
        assertEquals("607cddba7cd111745ef0a3d783d57f0e83c8f311", hex("s"));
        assertEquals("5979fb32a80da070ff356f7695455592272e36c2", hex(repeat('a', 10)));
        assertEquals("f00ad7dbcb4bd8122d9681bca49b8c2ffd4beeed", hex(repeat('m', 100)));
        assertEquals("07ac412d4c33b8628ab147b8db244ce44ae527f8", hex(repeat('t', 1000)));
        assertEquals("b42e64afbfccb05912a609179228d9249ea1c1a0", hex(repeat('-', 10000)));
        assertEquals("0a3e888c20bb8958537ddd4ba835e4070bd51740", hex(repeat('+', 100000)));
    }

    @Test
    void bytesKeysMatchAerospike() {
        // aerospike/aerospike-client-go key_test.go, "for []byte"
        assertEquals("327e2877b8815c7aeede0d5a8620d4ef8df4a4b4", hex(new byte[0]));
        assertEquals("ca2d96dc9a184d15a7fa2927565e844e9254e001", hex(bytes(repeat('s', 1))));
        assertEquals("d10982327b2b04c7360579f252e164a75f83cd99", hex(bytes(repeat('a', 10))));
        assertEquals("475786aa4ee664532a7d1ea69cb02e4695fcdeed", hex(bytes(repeat('m', 100))));
        assertEquals("5a32b507518a49bf47fdaa3deca53803f5b2e8c3", hex(bytes(repeat('t', 1000))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void integerWidthsAgree() {
        assertArrayEquals(KeyDigest.compute("s", 5L), KeyDigest.compute("s", 5));
        assertArrayEquals(KeyDigest.compute("s", 5L), KeyDigest.compute("s", (short) 5));
        assertArrayEquals(KeyDigest.compute("s", 5L), KeyDigest.compute("s", (byte) 5));
    }

    @Test
    void setTypeAndValueAllMatter() {
        assertNotEquals(Hex.encode(KeyDigest.compute("a", "k")), Hex.encode(KeyDigest.compute("b", "k")));
        assertNotEquals(Hex.encode(KeyDigest.compute("a", "k")), Hex.encode(KeyDigest.compute("a", bytes("k"))));
        assertNotEquals(Hex.encode(KeyDigest.compute("a", "k")), Hex.encode(KeyDigest.compute("a", "K")));
        // Null set is the empty set.
        assertArrayEquals(KeyDigest.compute("", 7L), KeyDigest.compute(null, 7L));
    }

    @Test
    void protoKeyMatchesJavaKey() {
        Key.Builder b = Key.newBuilder().setNamespace("ns1").setSet("set");
        assertEquals("22116d253745e29fc63fdf760b6e26f7e197e01d",
            Hex.encode(KeyDigest.compute(b.setLongKey(-1).build())));
        assertEquals("607cddba7cd111745ef0a3d783d57f0e83c8f311",
            Hex.encode(KeyDigest.compute(b.setStringKey("s").build())));
        assertEquals("d10982327b2b04c7360579f252e164a75f83cd99",
            Hex.encode(KeyDigest.compute(b.setBytesKey(ByteString.copyFrom(bytes(repeat('a', 10)))).build())));
        // Namespace is not part of the digest.
        assertArrayEquals(KeyDigest.compute(b.setNamespace("other").setLongKey(3).build()),
            KeyDigest.compute("set", 3L));
    }

    @Test
    void protoKeyWithoutUserKeyIsRejected() {
        Key k = Key.newBuilder().setNamespace("ns").setSet("s").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyDigest.compute(k));
        assertTrue(e.getMessage().contains("no user key"), e.getMessage());
    }

    @Test
    void unsupportedUserKeyTypeIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> KeyDigest.compute("s", 1.5d));
        assertTrue(e.getMessage().contains("java.lang.Double"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KeyDigest.compute("s", null));
    }

    @Test
    void partitionIdFromFirstTwoBytes() {
        byte[] d = new byte[20];
        d[0] = (byte) 0xFF;
        d[1] = (byte) 0xFF;
        assertEquals(4095, KeyDigest.partitionId(d));
        d[0] = 0x01;
        d[1] = 0x02;
        assertEquals(0x201, KeyDigest.partitionId(d));
        d[0] = 0x00;
        d[1] = 0x10; // high nibble of byte 1 is not used
        assertEquals(0, KeyDigest.partitionId(d));
        d[0] = (byte) 0x80;
        d[1] = 0x0F;
        assertEquals(0xF80, KeyDigest.partitionId(d));
        // Real digest: Long.MAX_VALUE in "set" -> 16 98 ... -> 0x816.
        assertEquals(0x816, KeyDigest.partitionId(KeyDigest.compute("set", Long.MAX_VALUE)));
        // 0 in "set" -> 93 d9 ... -> 0x993.
        assertEquals(0x993, KeyDigest.partitionId(KeyDigest.compute("set", 0L)));
    }
}
