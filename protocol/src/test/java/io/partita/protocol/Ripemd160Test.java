package io.partita.protocol;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ripemd160Test {

    private static String hex(String ascii) {
        return Hex.encode(Ripemd160.digest(ascii.getBytes(US_ASCII)));
    }

    @Test
    void officialVectors() {
        // Test vectors published with the RIPEMD-160 specification.
        assertEquals("9c1185a5c5e9fc54612808977ee8f548b2258d31", hex(""));
        assertEquals("0bdc9d2d256b3ee9daae347be6f4dc835a467ffe", hex("a"));
        assertEquals("8eb208f7e05d987a9b044a8e98c6b087f15a0bfc", hex("abc"));
        assertEquals("5d0689ef49d2fae572b881b123a85ffa21595f36", hex("message digest"));
        assertEquals("f71c27109c692c1b56bbdceb5b9d2865b3708dbc", hex("abcdefghijklmnopqrstuvwxyz"));
        assertEquals("12a053384a9c0c88e405a06c27dcf49ada62eb2b",
            hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
        assertEquals("b0e20b6e3116640286ed3a87a5713079b21f5189",
            hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"));
        assertEquals("9b752e45573d4b39f4dbd3323cab82bf63326bfb",
            hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"));
    }

    @Test
    void oneMillionA() {
        byte[] a = new byte[1_000_000];
        Arrays.fill(a, (byte) 'a');
        assertEquals("52783243c1697bdbe16d37f97f68f08325dc1528", Hex.encode(Ripemd160.digest(a)));
        // Same through many small updates of an odd size.
        Ripemd160 md = new Ripemd160();
        for (int off = 0; off < a.length; off += 999) {
            md.update(a, off, Math.min(999, a.length - off));
        }
        assertEquals("52783243c1697bdbe16d37f97f68f08325dc1528", Hex.encode(md.digest()));
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    /** Inputs around the padding boundaries; expected values computed independently with OpenSSL (Python hashlib). */
    @ParameterizedTest
    @CsvSource({
        "55, ced4a416d2eddc4c54a59c57fa299bc86af70de9",
        "56, 581330764dcfaa5bbe4de58601aa56a838cc58d7",
        "63, f946627df85129e38a6142b694aed087f2f85d71",
        "64, 6049fc18acb2ba0205d12fbf2ebc57628031d28c",
        "65, a03bc7711af42632ce8e675adbdc1d690a850f07",
        "119, 22d9d4f2a6368b58145202e9ffa1479f0a13fd11",
        "120, c7ca324844fcb190fb8a9e7d843251391e2556de"})
    void paddingBoundariesMatchReference(int length, String expected) {
        assertEquals(expected, Hex.encode(Ripemd160.digest(pattern(length))));
    }

    @ParameterizedTest
    @ValueSource(ints = {55, 56, 63, 64, 65})
    void paddingBoundariesAgreeAcrossSplits(int length) {
        byte[] input = pattern(length);
        byte[] whole = Ripemd160.digest(input);
        for (int cut = 0; cut <= length; cut++) {
            byte[] first = Arrays.copyOfRange(input, 0, cut);
            byte[] second = Arrays.copyOfRange(input, cut, length);
            assertArrayEquals(whole, Ripemd160.digest(first, second), "split at " + cut);
        }
        // Byte at a time, and three uneven parts.
        Ripemd160 md = new Ripemd160();
        for (byte b : input) {
            md.update(b);
        }
        assertArrayEquals(whole, md.digest());
        int a = length / 3;
        int b = 2 * length / 3 + 1;
        assertArrayEquals(whole, Ripemd160.digest(Arrays.copyOfRange(input, 0, a),
            Arrays.copyOfRange(input, a, b), new byte[0], Arrays.copyOfRange(input, b, length)));
    }

    @Test
    void instanceResetsAfterDigest() {
        Ripemd160 md = new Ripemd160();
        md.update("garbage".getBytes(US_ASCII));
        md.digest();
        md.update("abc".getBytes(US_ASCII));
        assertEquals("8eb208f7e05d987a9b044a8e98c6b087f15a0bfc", Hex.encode(md.digest()));
    }
}
