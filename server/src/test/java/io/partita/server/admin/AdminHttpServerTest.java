package io.partita.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.testing.TestCertificates;
import io.partita.protocol.tls.ServerTls;
import io.partita.protocol.tls.TlsMaterial;
import io.partita.protocol.tls.TlsSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probes depend on the admin port: clients that connect and stall (half a request, half a TLS handshake) must not
 * keep {@code /ready} from answering, and their connections are closed after {@link
 * AdminHttpServer#MAX_REQUEST_SECONDS}.
 */
class AdminHttpServerTest {
    private static final int STALLED = AdminHttpServer.THREADS - 2;

    @TempDir
    Path dir;
    private final List<AdminHttpServer> servers = new ArrayList<>();
    private final List<Socket> stalled = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (Socket s : stalled) {
            s.close();
        }
        servers.forEach(AdminHttpServer::close);
    }

    /** Plain HTTP and HTTPS side by side, so that one wait for the closes covers both. */
    @Test
    void stalledRequestsAndHandshakesNeitherBlockProbesNorStayOpen() throws Exception {
        AdminHttpServer http = start(null);
        TestCertificates ca = TestCertificates.ca(dir, "ca");
        TestCertificates.Pair node = ca.issue("n1", List.of("127.0.0.1"), Duration.ofDays(30));
        AdminHttpServer https = start(ServerTls.jdk(TlsMaterial.load(TlsSettings.trusting(ca.certFile())
                .withIdentity(node.cert(), node.key()))));
        for (int i = 0; i < STALLED; i++) {
            stalled.add(stall(http, "GET /ready HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII)));
            // A TLS record header announcing a 512-byte handshake message that never comes.
            stalled.add(stall(https, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}));
        }
        Thread.sleep(300); // let the servers take up the stalled connections first
        assertProbeAnswers(HttpClient.newBuilder(), "http", http);
        SSLContext trusting = TlsMaterial.load(TlsSettings.trusting(ca.certFile())).clientContext();
        assertProbeAnswers(HttpClient.newBuilder().sslContext(trusting), "https", https);
        assertClosedByServer(stalled.get(0));
        assertClosedByServer(stalled.get(1));
    }

    private AdminHttpServer start(SSLContext tls) throws Exception {
        AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, () -> null, null, tls);
        servers.add(server);
        return server;
    }

    private static Socket stall(AdminHttpServer server, byte[] partial) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
        OutputStream out = s.getOutputStream();
        out.write(partial);
        out.flush();
        return s;
    }

    private static void assertProbeAnswers(HttpClient.Builder client, String scheme, AdminHttpServer server)
            throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> ready = client.connectTimeout(Duration.ofSeconds(2)).build().send(
                HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + server.port() + "/ready"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(System.nanoTime() - start < 3_000_000_000L, "/ready took over 3 s beside stalled connections");
    }

    private static void assertClosedByServer(Socket s) throws Exception {
        s.setSoTimeout((int) (AdminHttpServer.MAX_REQUEST_SECONDS + 10) * 1000);
        long start = System.nanoTime();
        InputStream in = s.getInputStream();
        int read;
        try {
            while ((read = in.read()) >= 0) {
                // an error answer may come before the close
            }
        } catch (java.net.SocketException e) {
            read = -1; // reset by the server: closed too
        }
        assertEquals(-1, read);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds <= AdminHttpServer.MAX_REQUEST_SECONDS + 5, "closed after " + seconds + " s");
    }
}
