package io.partita.tools.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificatesTest {

    @Test
    void createsTheCaEveryNodeAndTheClient(@TempDir Path dir) throws Exception {
        Path tls = dir.resolve("tls");
        LocalCertificates files = LocalCertificates.ensure(tls, ids(3), hosts(3));

        assertEquals(Set.of("ca.crt", "ca.key", "n1.crt", "n1.key", "n2.crt", "n2.key", "n3.crt", "n3.key",
                "client.crt", "client.key"), contents(tls).keySet());
        assertEquals(tls.resolve("ca.crt"), files.caFile());
        assertEquals(tls.resolve("n2.crt"), files.certFile("n2"));
        assertEquals(tls.resolve("n2.key"), files.keyFile("n2"));
        assertEquals(tls.resolve("client.crt"), files.clientCertFile());
        assertEquals(tls.resolve("client.key"), files.clientKeyFile());

        X509Certificate[] n2 = {JdkPki.certificate(files.certFile("n2"))};
        JdkPki.trusting(files.caFile()).checkServerTrusted(n2, "ECDHE_ECDSA");
        assertEquals(Set.of(List.of(7, "127.0.0.1"), List.of(2, "localhost"), List.of(2, "n2.local")),
                new HashSet<>(n2[0].getSubjectAlternativeNames()));
        JdkPki.pkcs8Key(files.keyFile("n2"));

        X509Certificate[] client = {JdkPki.certificate(files.clientCertFile())};
        JdkPki.trusting(files.caFile()).checkClientTrusted(client, "EC");
        assertEquals("CN=" + LocalCertificates.CLIENT_NAME, client[0].getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), client[0].getExtendedKeyUsage());

        for (Path key : List.of(files.caKeyFile(), files.keyFile("n1"), files.clientKeyFile())) {
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key),
                    key.toString());
        }
    }

    @Test
    void aSecondRunKeepsEveryFileAndAGrownClusterGetsOnlyTheNewNodes(@TempDir Path dir) throws Exception {
        LocalCertificates.ensure(dir, ids(3), hosts(3));
        Map<String, byte[]> first = contents(dir);

        LocalCertificates.ensure(dir, ids(3), hosts(3));
        assertSame(first, contents(dir));

        LocalCertificates files = LocalCertificates.ensure(dir, ids(5), hosts(5));
        Map<String, byte[]> grown = contents(dir);
        assertEquals(first.size() + 4, grown.size());
        for (String name : first.keySet()) {
            assertArrayEquals(first.get(name), grown.get(name), name + " changed");
        }
        X509Certificate n5 = JdkPki.certificate(files.certFile("n5"));
        n5.verify(JdkPki.certificate(files.caFile()).getPublicKey());
        assertEquals("CN=n5", n5.getSubjectX500Principal().getName());

        // Shrinking back needs nothing new and removes nothing.
        LocalCertificates.ensure(dir, ids(3), hosts(3));
        assertSame(grown, contents(dir));
    }

    @Test
    void aNodeWhoseHostsChangedGetsANewCertificate(@TempDir Path dir) throws Exception {
        LocalCertificates.ensure(dir, ids(2), hosts(2));
        Map<String, byte[]> before = contents(dir);
        Map<String, List<String>> moved = hosts(2);
        moved.put("n2", List.of("10.0.0.9"));

        LocalCertificates files = LocalCertificates.ensure(dir, ids(2), moved);
        Map<String, byte[]> after = contents(dir);
        assertFalse(Arrays.equals(before.get("n2.crt"), after.get("n2.crt")));
        assertEquals(List.of(List.of(7, "10.0.0.9")),
                List.copyOf(JdkPki.certificate(files.certFile("n2")).getSubjectAlternativeNames()));
        for (String same : List.of("ca.crt", "ca.key", "n1.crt", "n1.key", "client.crt", "client.key")) {
            assertArrayEquals(before.get(same), after.get(same), same);
        }
    }

    @Test
    void aLostCaKeyMeansANewCaAndCertificatesItSigned(@TempDir Path dir) throws Exception {
        LocalCertificates files = LocalCertificates.ensure(dir, ids(2), hosts(2));
        Map<String, byte[]> before = contents(dir);
        Files.delete(files.caKeyFile());

        LocalCertificates.ensure(dir, ids(2), hosts(2));
        Map<String, byte[]> after = contents(dir);
        for (String name : before.keySet()) {
            assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " was kept");
        }
        X509Certificate ca = JdkPki.certificate(files.caFile());
        for (Path cert : List.of(files.certFile("n1"), files.certFile("n2"), files.clientCertFile())) {
            JdkPki.certificate(cert).verify(ca.getPublicKey());
        }
    }

    @Test
    void aNodeCertificateWithoutItsKeyIsIssuedAgain(@TempDir Path dir) throws Exception {
        LocalCertificates files = LocalCertificates.ensure(dir, ids(1), hosts(1));
        byte[] cert = Files.readAllBytes(files.certFile("n1"));
        Files.delete(files.keyFile("n1"));

        LocalCertificates.ensure(dir, ids(1), hosts(1));
        assertNotEquals(new String(cert), Files.readString(files.certFile("n1")));
        IssuedCertificate.load(files.certFile("n1"), files.keyFile("n1"));
    }

    @Test
    void unusableCaFilesAreReportedNotReplaced(@TempDir Path dir) throws Exception {
        LocalCertificates files = LocalCertificates.ensure(dir, ids(1), hosts(1));
        Files.writeString(files.caFile(), "garbage\n");
        CertificateFileException e = assertThrows(CertificateFileException.class,
                () -> LocalCertificates.ensure(dir, ids(1), hosts(1)));
        assertTrue(e.getMessage().contains("ca.crt"), e.getMessage());
        assertEquals("garbage\n", Files.readString(files.caFile()));
    }

    @Test
    void nodeIdsMustBeFileNamesWithHosts(@TempDir Path dir) throws Exception {
        for (String bad : new String[] {"ca", "client", "../n1", ".n1", "n/1", ""}) {
            assertThrows(IllegalArgumentException.class,
                    () -> LocalCertificates.ensure(dir, List.of(bad), Map.of(bad, List.of("127.0.0.1"))), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> LocalCertificates.ensure(dir, List.of("n1"), Map.of()));
        assertEquals(Map.of(), contents(dir), "nothing is written before the arguments are checked");
    }

    private static List<String> ids(int n) {
        return Stream.iterate(1, i -> i + 1).limit(n).map(i -> "n" + i).collect(Collectors.toList());
    }

    private static Map<String, List<String>> hosts(int n) {
        Map<String, List<String>> hosts = new LinkedHashMap<>();
        for (String id : ids(n)) {
            hosts.put(id, List.of("127.0.0.1", "localhost", id + ".local"));
        }
        return hosts;
    }

    /** Every file of {@code dir} by name, temporary ones too: a leftover one shows. */
    private static Map<String, byte[]> contents(Path dir) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static void assertSame(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name), name + " changed");
        }
    }
}
