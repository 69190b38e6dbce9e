package io.partita.tools.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int IP = 7;
    private static final int DNS = 2;

    private static final Duration YEAR = Duration.ofDays(365);

    private static CertificateAuthority ca;
    private static CertificateAuthority otherCa;

    @BeforeAll
    static void createCas() {
        ca = CertificateAuthority.create("test-ca", Duration.ofDays(3650));
        otherCa = CertificateAuthority.create("test-ca", Duration.ofDays(3650));
    }

    @Test
    void caCertificateIsASelfSignedCaForLeavesOnly() throws Exception {
        X509Certificate cert = ca.certificate();
        assertEquals(0, cert.getBasicConstraints(), "CA=true, pathlen 0");
        boolean[] usage = cert.getKeyUsage();
        assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
        assertFalse(usage[0], "no digitalSignature");
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        cert.verify(cert.getPublicKey());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertEquals("CN=test-ca", cert.getSubjectX500Principal().getName());
        assertTrue(cert.getExtensionValue("2.5.29.14") != null, "subject key identifier");
        Instant now = Instant.now();
        assertWithin(now.minus(Duration.ofHours(1)), cert.getNotBefore().toInstant());
        assertWithin(now.plus(Duration.ofDays(3650)), cert.getNotAfter().toInstant());
    }

    @Test
    void serialsAreRandomPositive128BitNumbers() {
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            BigInteger serial = ca.issueClient("c" + i, YEAR).certificate().getSerialNumber();
            assertEquals(128, serial.bitLength());
            assertEquals(1, serial.signum());
            serials.add(serial);
        }
        assertEquals(20, serials.size());
    }

    @Test
    void nodeCertificateIsTrustedByItsCaOnly(@TempDir Path dir) throws Exception {
        IssuedCertificate node = ca.issueNode("n1", List.of("10.0.0.5"), YEAR);
        ca.writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        otherCa.writeTo(dir.resolve("other.crt"), dir.resolve("other.key"));
        X509Certificate[] chain = {node.certificate()};

        JdkPki.trusting(dir.resolve("ca.crt")).checkServerTrusted(chain, "ECDHE_ECDSA");
        JdkPki.trusting(dir.resolve("ca.crt")).checkClientTrusted(chain, "EC");
        X509TrustManager other = JdkPki.trusting(dir.resolve("other.crt"));
        assertThrows(CertificateException.class, () -> other.checkServerTrusted(chain, "ECDHE_ECDSA"));
    }

    @Test
    void clientCertificateIsForClientsOnly(@TempDir Path dir) throws Exception {
        IssuedCertificate client = ca.issueClient("admin", YEAR);
        ca.writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        X509Certificate cert = client.certificate();
        X509Certificate[] chain = {cert};

        JdkPki.trusting(dir.resolve("ca.crt")).checkClientTrusted(chain, "EC");
        // PKIX refuses it as a server: its extended key usage lacks serverAuth.
        assertThrows(CertificateException.class,
                () -> JdkPki.trusting(dir.resolve("ca.crt")).checkServerTrusted(chain, "ECDHE_ECDSA"));
        assertEquals(List.of(CLIENT_AUTH), cert.getExtendedKeyUsage());
        assertNull(cert.getSubjectAlternativeNames());
        assertEquals("CN=admin", cert.getSubjectX500Principal().getName());
        assertEquals("admin", client.commonName());
        assertEquals(-1, cert.getBasicConstraints());
    }

    @Test
    void nodeCertificateNamesExactlyTheGivenHostsWithTheirTypes() throws Exception {
        X509Certificate cert = ca.issueNode("n1",
                List.of("10.0.0.5", "node1.example.com", "[::1]", "2001:db8::7", " node1.example.com"), YEAR)
                .certificate();
        Set<List<?>> expected = Set.of(List.of(IP, "10.0.0.5"), List.of(DNS, "node1.example.com"),
                List.of(IP, "0:0:0:0:0:0:0:1"), List.of(IP, "2001:db8:0:0:0:0:0:7"));
        assertEquals(expected, new HashSet<>(cert.getSubjectAlternativeNames()));
        assertEquals(Set.of(SERVER_AUTH, CLIENT_AUTH), new HashSet<>(cert.getExtendedKeyUsage()));
        boolean[] usage = cert.getKeyUsage();
        assertTrue(usage[0] && usage[2], "digitalSignature and keyEncipherment");
        assertFalse(usage[5], "no keyCertSign");
        assertEquals(-1, cert.getBasicConstraints());
        assertEquals("CN=n1", cert.getSubjectX500Principal().getName());
        assertEquals(ca.certificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(
                JcaX509ExtensionUtils.parseExtensionValue(cert.getExtensionValue("2.5.29.35")));
        byte[] caKeyId = SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                ca.certificate().getExtensionValue("2.5.29.14"))).getKeyIdentifier();
        assertArrayEquals(caKeyId, aki.getKeyIdentifier(), "the CA's key identifier");
        assertNull(aki.getAuthorityCertSerialNumber(), "not tied to one CA certificate");
        cert.verify(ca.certificate().getPublicKey());
        assertWithin(Instant.now().plus(YEAR), cert.getNotAfter().toInstant());
    }

    @Test
    void hostsThatAreNotHostsAreRefused() {
        for (String bad : new String[] {"10.0.0.5:7300", "node1.example.com:7300", "http://node1", "a b", "-x."}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ca.issueNode("n1", List.of(bad), YEAR), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ca.issueNode("n1", List.of(" "), YEAR));
        assertThrows(IllegalArgumentException.class, () -> ca.issueNode("n1", List.of("x"), Duration.ZERO));
    }

    @Test
    void aCertificateExpiresWithItsCaAtTheLatest() {
        CertificateAuthority shortLived = CertificateAuthority.create("short", Duration.ofDays(2));
        X509Certificate cert = shortLived.issueClient("c", YEAR).certificate();
        assertEquals(shortLived.certificate().getNotAfter(), cert.getNotAfter());
    }

    @Test
    void writtenFilesArePemAndAPkcs8KeyOnlyTheOwnerCanRead(@TempDir Path dir) throws Exception {
        IssuedCertificate node = ca.issueNode("n1", List.of("127.0.0.1"), YEAR);
        node.writeTo(dir.resolve("n1.crt"), dir.resolve("n1.key"));

        assertTrue(Files.readString(dir.resolve("n1.crt")).startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertEquals(node.certificate(), JdkPki.certificate(dir.resolve("n1.crt")));
        assertArrayEquals(node.privateKey().getEncoded(), JdkPki.pkcs8Key(dir.resolve("n1.key")).getEncoded());
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dir.resolve("n1.key")));
        try (var files = Files.list(dir)) {
            assertEquals(Set.of("n1.crt", "n1.key"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
                    "no temporary file is left behind");
        }
    }

    @Test
    void writingReplacesAnExistingFileAndKeepsTheKeyPrivate(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("n1.key");
        Files.writeString(key, "old");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        IssuedCertificate node = ca.issueClient("n1", YEAR);
        node.writeTo(dir.resolve("sub/n1.crt"), key);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
        assertArrayEquals(node.privateKey().getEncoded(), JdkPki.pkcs8Key(key).getEncoded());
        assertEquals(node.certificate(), JdkPki.certificate(dir.resolve("sub/n1.crt")));
    }

    @Test
    void loadReadsBackTheCaAndItKeepsSigning(@TempDir Path dir) throws Exception {
        ca.writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        CertificateAuthority loaded = CertificateAuthority.load(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        assertEquals(ca.certificate(), loaded.certificate());
        loaded.issueNode("n2", List.of("10.0.0.6"), YEAR).certificate().verify(ca.certificate().getPublicKey());
    }

    @Test
    void loadSaysWhatIsWrongWithTheFiles(@TempDir Path dir) throws Exception {
        Path crt = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        assertLoadFails(crt, key, crt + ": no such file");

        ca.writeTo(crt, key);
        otherCa.writeTo(dir.resolve("other.crt"), dir.resolve("other.key"));
        assertLoadFails(crt, dir.resolve("other.key"), "does not belong to the certificate");
        assertLoadFails(crt, dir.resolve("nope.key"), "nope.key: no such file");
        assertLoadFails(key, key, "no certificate in it");
        assertLoadFails(crt, crt, "no private key in it");

        Files.writeString(dir.resolve("text.crt"), "hello\n");
        assertLoadFails(dir.resolve("text.crt"), key, "no certificate in it");
        Files.write(dir.resolve("binary.crt"), new byte[] {(byte) 0xff, 0x30, (byte) 0x82, 0});
        assertLoadFails(dir.resolve("binary.crt"), key, "binary.crt");

        IssuedCertificate leaf = ca.issueNode("n1", List.of("10.0.0.5"), YEAR);
        leaf.writeTo(dir.resolve("n1.crt"), dir.resolve("n1.key"));
        assertLoadFails(dir.resolve("n1.crt"), dir.resolve("n1.key"), "not a CA certificate");
    }

    private static void assertLoadFails(Path crt, Path key, String message) {
        CertificateFileException e = assertThrows(CertificateFileException.class,
                () -> CertificateAuthority.load(crt, key));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static void assertWithin(Instant expected, Instant actual) {
        assertTrue(Duration.between(expected, actual).abs().compareTo(Duration.ofMinutes(1)) < 0,
                "expected about " + expected + ", was " + actual);
    }
}
