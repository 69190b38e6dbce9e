package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.protocol.testing.TestCertificates;
import io.partita.protocol.tls.TlsMaterial;
import io.partita.protocol.tls.TlsSettings;
import io.partita.server.config.NodeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster with {@code tls.enabled}: every port speaks TLS, clients need the CA and (with client-auth) a
 * certificate, and Raft traffic cannot be read on the wire. The same wire tap on a cluster without TLS sees the
 * records, so the encryption check can fail.
 */
class TlsClusterTest {
    private static final int RECORDS = 40;

    @TempDir
    Path dir;

    @Test
    void everyPortSpeaksTlsAndOnlyClientsWithTheCaAndACertificateGetIn() throws Exception {
        TestCertificates ca = TestCertificates.ca(dir.resolve("tls"), "ca");
        TestCertificates.Pair client = ca.issueClient("admin", Duration.ofDays(30));
        TapProxy[] tap = new TapProxy[1];
        UnaryOperator<NodeConfig> secure = c -> {
            try {
                TestCertificates.Pair node = ca.issue(c.nodeId(), List.of("127.0.0.1", "localhost"),
                        Duration.ofDays(30));
                return tapped(c, tap).withTls(new NodeConfig.Tls(true, node.cert(), node.key(), ca.certFile(), true));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, 2, secure)) {
            String[] seeds = cluster.clientAddresses().toArray(String[]::new);
            byte[] marker = marker();
            ClientConfig.Builder trusted = ClientConfig.builder().seeds(seeds).tls(ca.certFile())
                    .tlsIdentity(client.cert(), client.key());
            try (PartitaClient c = PartitaClient.connect(trusted.build())) {
                writeAndReadBack(c, marker);
            }
            assertTrue(tap[0].bytesSeen() > RECORDS * marker.length, "Raft traffic to n2 passed the tap: "
                    + tap[0].bytesSeen() + " bytes");
            assertFalse(tap[0].saw(marker), "a record's bytes were readable on n2's Raft link");

            PartitaException plaintext = assertThrows(PartitaException.class,
                    () -> PartitaClient.connect(ClientConfig.builder().seeds(seeds).build()).close());
            assertTrue(plaintext.getMessage().contains(seeds[0] + " -> TLS: the node closed the connection before "
                    + "answering, as a node with TLS does to a plaintext client"), plaintext.getMessage());

            TestCertificates otherCa = TestCertificates.ca(dir.resolve("other"), "other-ca");
            PartitaException foreign = assertThrows(PartitaException.class, () -> PartitaClient.connect(
                    ClientConfig.builder().seeds(seeds).tls(otherCa.certFile()).build()).close());
            assertTrue(foreign.getMessage().contains("is not signed by a CA in " + otherCa.certFile()),
                    foreign.getMessage());

            PartitaException anonymous = assertThrows(PartitaException.class, () -> PartitaClient.connect(
                    ClientConfig.builder().seeds(seeds).tls(ca.certFile()).build()).close());
            assertTrue(anonymous.getMessage().contains("requires a client certificate"), anonymous.getMessage());

            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> PartitaClient
                    .connect(ClientConfig.builder().seeds(seeds).tls(dir.resolve("nope.crt")).build()));
            assertTrue(missing.getMessage().contains("nope.crt: no such file"), missing.getMessage());

            // The admin HTTP port answers over HTTPS only.
            int adminPort = cluster.node(0).adminPort();
            HttpClient https = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .sslContext(TlsMaterial.load(TlsSettings.trusting(ca.certFile())).clientContext()).build();
            HttpResponse<String> ready = https.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + adminPort + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThrows(IOException.class, () -> http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + adminPort + "/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } finally {
            if (tap[0] != null) {
                tap[0].close();
            }
        }
    }

    @Test
    void withoutTlsTheSameTapReadsTheRecords() throws Exception {
        TapProxy[] tap = new TapProxy[1];
        try (TestCluster cluster = TestCluster.start(dir, 3, 3, 2, c -> tapped(c, tap))) {
            byte[] marker = marker();
            try (PartitaClient c = PartitaClient.connect(cluster.clientAddresses().toArray(String[]::new))) {
                writeAndReadBack(c, marker);
            }
            assertTrue(tap[0].saw(marker), "the tap did not see a record in plaintext Raft traffic: the check in "
                    + "the TLS test proves nothing");
        } finally {
            if (tap[0] != null) {
                tap[0].close();
            }
        }
    }

    /** n2 advertises its Raft port through a tap, so every Raft connection to it passes the tap. */
    private static NodeConfig tapped(NodeConfig c, TapProxy[] tap) {
        if (!c.nodeId().equals("n2")) {
            return c;
        }
        try {
            tap[0] = new TapProxy(c.listen().raftPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        NodeConfig.Listen l = c.listen();
        return c.withListen(new NodeConfig.Listen(l.address(), l.clientPort(), l.raftPort(), l.adminPort(),
                "127.0.0.1:" + tap[0].port(), l.advertiseAddress()));
    }

    /** 48 random letters: LZ4 finds nothing to compress in them, so a plaintext log entry carries them as they are. */
    private static byte[] marker() {
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 48; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void writeAndReadBack(PartitaClient c, byte[] marker) {
        String value = new String(marker, StandardCharsets.US_ASCII);
        for (int i = 0; i < RECORDS; i++) {
            c.put(new Key("test", "tls", "k" + i), Map.of("v", value));
        }
        for (int i = 0; i < RECORDS; i++) {
            assertEquals(value, c.get(new Key("test", "tls", "k" + i)).getValue("v"));
        }
    }
}
