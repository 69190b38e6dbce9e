package io.partita.tools.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS between JDK sockets, with the files as written: what the node runtime will do with them. */
class TlsHandshakeTest {

    private static final Duration YEAR = Duration.ofDays(365);

    private final ExecutorService server = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void mutualTlsWithHostnameVerificationSucceeds(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test-ca", YEAR.multipliedBy(10));
        ca.writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        ca.issueNode("n1", List.of("127.0.0.1", "localhost"), YEAR).writeTo(dir.resolve("n1.crt"),
                dir.resolve("n1.key"));
        ca.issueClient("admin", YEAR).writeTo(dir.resolve("admin.crt"), dir.resolve("admin.key"));

        SSLContext serverCtx = JdkPki.context(dir.resolve("ca.crt"), dir.resolve("n1.crt"), dir.resolve("n1.key"));
        SSLContext clientCtx = JdkPki.context(dir.resolve("ca.crt"), dir.resolve("admin.crt"),
                dir.resolve("admin.key"));
        try (SSLServerSocket listener = listen(serverCtx)) {
            listener.setNeedClientAuth(true);
            Future<String> peer = server.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(s.getInputStream().read());
                    s.getOutputStream().flush();
                    return s.getSession().getPeerPrincipal().getName();
                }
            });
            try (SSLSocket client = dial(clientCtx, listener.getLocalPort())) {
                client.startHandshake();
                OutputStream out = client.getOutputStream();
                out.write(42);
                out.flush();
                InputStream in = client.getInputStream();
                assertEquals(42, in.read());
                assertEquals("CN=n1", client.getSession().getPeerPrincipal().getName());
            }
            assertEquals("CN=admin", peer.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCertificateWithoutTheDialedAddressIsRefused(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test-ca", YEAR.multipliedBy(10));
        ca.writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        // Names the machine, but not the address the client dials.
        ca.issueNode("n1", List.of("localhost", "10.0.0.5"), YEAR).writeTo(dir.resolve("n1.crt"),
                dir.resolve("n1.key"));

        SSLContext serverCtx = JdkPki.context(dir.resolve("ca.crt"), dir.resolve("n1.crt"), dir.resolve("n1.key"));
        SSLContext clientCtx = JdkPki.context(dir.resolve("ca.crt"), null, null);
        try (SSLServerSocket listener = listen(serverCtx)) {
            server.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                }
                return null;
            });
            try (SSLSocket client = dial(clientCtx, listener.getLocalPort())) {
                SSLHandshakeException e = assertThrows(SSLHandshakeException.class, client::startHandshake);
                assertTrue(String.valueOf(e.getCause()).contains("127.0.0.1"), String.valueOf(e.getCause()));
            }
        }
    }

    private static SSLServerSocket listen(SSLContext ctx) throws Exception {
        return (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getByName("127.0.0.1"));
    }

    /** Connects to 127.0.0.1 and checks the server's certificate names it, as an HTTPS client does. */
    private static SSLSocket dial(SSLContext ctx, int port) throws Exception {
        SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        SSLParameters params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
        return socket;
    }
}
