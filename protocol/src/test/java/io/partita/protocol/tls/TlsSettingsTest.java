package io.partita.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {
    @Test
    void theEnvironmentTurnsTlsOnWithTheCaAndAddsAClientCertificate() {
        assertNull(TlsSettings.fromEnvironment(Map.of()), "no CA: plaintext");
        assertNull(TlsSettings.fromEnvironment(Map.of("PARTITA_TLS_CA", "  ")), "blank is unset");
        assertEquals(TlsSettings.trusting(Path.of("/ca.crt")),
                TlsSettings.fromEnvironment(Map.of("PARTITA_TLS_CA", "/ca.crt")));
        assertEquals(TlsSettings.trusting(Path.of("/ca.crt")).withIdentity(Path.of("a.crt"), Path.of("a.key")),
                TlsSettings.fromEnvironment(Map.of("PARTITA_TLS_CA", "/ca.crt", "PARTITA_TLS_CERT", "a.crt",
                        "PARTITA_TLS_KEY", "a.key")));
        String half = assertThrows(TlsConfigException.class, () -> TlsSettings.fromEnvironment(
                Map.of("PARTITA_TLS_CA", "/ca.crt", "PARTITA_TLS_CERT", "a.crt"))).getMessage();
        assertTrue(half.startsWith("PARTITA_TLS_CERT and PARTITA_TLS_KEY go together"), half);
        String noCa = assertThrows(TlsConfigException.class, () -> TlsSettings.fromEnvironment(
                Map.of("PARTITA_TLS_CERT", "a.crt", "PARTITA_TLS_KEY", "a.key"))).getMessage();
        assertTrue(noCa.contains("PARTITA_TLS_CA is not"), noCa);
    }
}
