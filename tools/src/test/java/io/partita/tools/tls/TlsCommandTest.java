package io.partita.tools.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.tools.CliRunner;
import io.partita.tools.CliRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"tls", "tls ca", "tls node", "tls client"})
    void everyCommandHasHelpWithItsExitCodes(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        Result r = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("Usage: partita " + command + " "), r.toString());
        assertTrue(r.out().contains("Exit codes:"), r.toString());
    }

    @Test
    void caNodeAndClientWriteTheirFiles(@TempDir Path dir) throws Exception {
        Result ca = CliRunner.run("tls", "ca", "--out", dir.toString(), "--name", "my-ca");
        assertEquals(0, ca.exitCode(), ca.toString());
        assertTrue(ca.out().contains("wrote " + dir.resolve("ca.crt")), ca.out());
        assertTrue(ca.out().contains("wrote " + dir.resolve("ca.key")), ca.out());
        X509Certificate caCert = JdkPki.certificate(dir.resolve("ca.crt"));
        assertEquals("CN=my-ca", caCert.getSubjectX500Principal().getName());
        assertWithin(Instant.now().plus(Duration.ofDays(3650)), caCert.getNotAfter().toInstant());

        Result node = CliRunner.run("tls", "node", "--ca-dir", dir.toString(), "--node-id", "n1",
                "--hosts", "10.0.0.5,node1.example.com");
        assertEquals(0, node.exitCode(), node.toString());
        assertTrue(node.out().contains("wrote " + dir.resolve("n1.crt")), node.out());
        assertTrue(node.out().contains("subject alternative names: IP:10.0.0.5, DNS:node1.example.com"), node.out());
        X509Certificate n1 = JdkPki.certificate(dir.resolve("n1.crt"));
        JdkPki.trusting(dir.resolve("ca.crt")).checkServerTrusted(new X509Certificate[] {n1}, "ECDHE_ECDSA");
        assertEquals(Set.of(List.of(7, "10.0.0.5"), List.of(2, "node1.example.com")),
                new HashSet<>(n1.getSubjectAlternativeNames()));
        assertWithin(Instant.now().plus(Duration.ofDays(365)), n1.getNotAfter().toInstant());
        JdkPki.pkcs8Key(dir.resolve("n1.key"));
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dir.resolve("n1.key")));

        Path out = dir.resolve("clients");
        Result client = CliRunner.run("tls", "client", "--ca-dir", dir.toString(), "--name", "admin",
                "--out", out.toString(), "--validity", "48h");
        assertEquals(0, client.exitCode(), client.toString());
        X509Certificate admin = JdkPki.certificate(out.resolve("admin.crt"));
        JdkPki.trusting(dir.resolve("ca.crt")).checkClientTrusted(new X509Certificate[] {admin}, "EC");
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), admin.getExtendedKeyUsage());
        assertWithin(Instant.now().plus(Duration.ofHours(48)), admin.getNotAfter().toInstant());
        assertTrue(Files.exists(out.resolve("admin.key")));
    }

    @Test
    void existingFilesAreNeverOverwritten(@TempDir Path dir) throws Exception {
        assertEquals(0, CliRunner.run("tls", "ca", "--out", dir.toString()).exitCode());
        byte[] key = Files.readAllBytes(dir.resolve("ca.key"));

        Result again = CliRunner.run("tls", "ca", "--out", dir.toString());
        assertEquals(2, again.exitCode(), again.toString());
        assertEquals(List.of("partita tls ca: " + dir.resolve("ca.crt") + " and " + dir.resolve("ca.key")
                + " already exist; not overwriting: remove them or choose another directory"), again.errLines());
        assertArrayEquals(key, Files.readAllBytes(dir.resolve("ca.key")));

        Files.writeString(dir.resolve("n1.key"), "mine");
        Result node = CliRunner.run("tls", "node", "--ca-dir", dir.toString(), "--node-id", "n1", "--hosts", "h1");
        assertEquals(2, node.exitCode(), node.toString());
        assertTrue(node.err().contains(dir.resolve("n1.key") + " already exists"), node.err());
        assertFalse(Files.exists(dir.resolve("n1.crt")));
        assertEquals("mine", Files.readString(dir.resolve("n1.key")));
    }

    @Test
    void problemsAreOneLineWithAnExitCode(@TempDir Path dir) throws Exception {
        Result noCa = CliRunner.run("tls", "node", "--ca-dir", dir.toString(), "--node-id", "n1", "--hosts", "h1");
        assertEquals(2, noCa.exitCode(), noCa.toString());
        assertEquals(List.of("partita tls node: " + dir.resolve("ca.crt") + ": no such file"), noCa.errLines());

        assertEquals(0, CliRunner.run("tls", "ca", "--out", dir.toString()).exitCode());
        Result port = CliRunner.run("tls", "node", "--ca-dir", dir.toString(), "--node-id", "n1", "--hosts",
                "10.0.0.5:7300");
        assertEquals(2, port.exitCode(), port.toString());
        assertEquals(1, port.errLines().size(), port.toString());
        assertTrue(port.err().contains("without ports"), port.err());
        assertFalse(Files.exists(dir.resolve("n1.key")));

        Result badName = CliRunner.run("tls", "client", "--ca-dir", dir.toString(), "--name", "../x");
        assertEquals(2, badName.exitCode(), badName.toString());
        assertFalse(Files.exists(dir.getParent().resolve("x.crt")));

        Result noHosts = CliRunner.run("tls", "node", "--ca-dir", dir.toString(), "--node-id", "n1");
        assertEquals(2, noHosts.exitCode(), noHosts.toString());

        Result days = CliRunner.run("tls", "ca", "--out", dir.resolve("d").toString(), "--validity", "soon");
        assertEquals(2, days.exitCode(), days.toString());

        Result missing = CliRunner.run("tls");
        assertEquals(2, missing.exitCode(), missing.toString());

        // A directory that cannot be created: a file is in the way (root ignores permissions, this does not).
        Files.writeString(dir.resolve("file"), "x");
        Result cannotWrite = CliRunner.run("tls", "client", "--ca-dir", dir.toString(), "--name", "admin",
                "--out", dir.resolve("file/sub").toString());
        assertEquals(1, cannotWrite.exitCode(), cannotWrite.toString());
        assertTrue(cannotWrite.err().startsWith("partita tls client: cannot write in "), cannotWrite.err());
        assertFalse(cannotWrite.err().contains("Exception"), "no Java class names, no stack trace");
    }

    private static void assertWithin(Instant expected, Instant actual) {
        assertTrue(Duration.between(expected, actual).abs().compareTo(Duration.ofMinutes(1)) < 0,
                "expected about " + expected + ", was " + actual);
    }
}
