package io.partita.tools.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partita.client.Key;
import org.junit.jupiter.api.Test;

class UserKeysTest {

    @Test
    void stringKeysAreTakenVerbatim() {
        assertEquals("42", UserKeys.STRING.parse("42"));
        assertEquals(" a b ", UserKeys.STRING.parse(" a b "));
        assertEquals(new Key("test", "demo", "42"), UserKeys.STRING.key("test", "demo", "42"));
    }

    @Test
    void longKeysAreNumbers() {
        assertEquals(42L, UserKeys.LONG.parse("42"));
        assertEquals(-1L, UserKeys.LONG.parse("-1"));
        assertEquals(Long.MAX_VALUE, UserKeys.LONG.parse("9223372036854775807"));
        assertEquals(new Key("test", "demo", 42L), UserKeys.LONG.key("test", "demo", "42"));
        assertThrows(IllegalArgumentException.class, () -> UserKeys.LONG.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> UserKeys.LONG.parse("1.5"));
        assertThrows(IllegalArgumentException.class, () -> UserKeys.LONG.parse("9223372036854775808"));
    }

    @Test
    void bytesKeysAreHex() {
        assertArrayEquals(new byte[] {0x0a, (byte) 0xff}, (byte[]) UserKeys.BYTES.parse("0aff"));
        assertArrayEquals(new byte[] {0x0a, (byte) 0xff}, (byte[]) UserKeys.BYTES.parse("0x0AFF"));
        assertEquals(new Key("test", "demo", new byte[] {1, 2}), UserKeys.BYTES.key("test", "demo", "0102"));
        assertThrows(IllegalArgumentException.class, () -> UserKeys.BYTES.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> UserKeys.BYTES.parse("zz"));
        assertThrows(IllegalArgumentException.class, () -> UserKeys.BYTES.parse(""));
        assertThrows(IllegalArgumentException.class, () -> UserKeys.BYTES.parse("0x"));
    }

    @Test
    void typeNamesAreCaseInsensitive() {
        assertEquals(UserKeys.LONG, UserKeys.of("long"));
        assertEquals(UserKeys.BYTES, UserKeys.of("BYTES"));
        assertEquals(UserKeys.STRING, UserKeys.of("String"));
        assertThrows(IllegalArgumentException.class, () -> UserKeys.of("int"));
    }
}
