package io.partita.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.partita.protocol.testing.RawBytes;
import io.partita.protocol.testing.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS files, checks and handshakes through the one channel factory against a real Netty gRPC server. */
class TlsMaterialTest {
    private static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("test.Echo/Echo")
            .setRequestMarshaller(RawBytes.MARSHALLER)
            .setResponseMarshaller(RawBytes.MARSHALLER)
            .build();

    @TempDir
    Path dir;
    private TestCertificates ca;
    private TestCertificates.Pair node;
    private final List<Server> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeEach
    void certificates() throws Exception {
        ca = TestCertificates.ca(dir, "ca");
        node = ca.issue("n1", List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
    }

    @AfterEach
    void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(Server::shutdownNow);
    }

    @Test
    void checksTheFilesWhenLoaded() throws Exception {
        TlsSettings ok = TlsSettings.trusting(ca.certFile()).withIdentity(node.cert(), node.key());
        assertEquals("CN=n1", TlsMaterial.load(ok).certificate().getSubjectX500Principal().getName());

        TestCertificates.Pair other = ca.issue("n2", List.of("127.0.0.1"), Duration.ofDays(1));
        String mismatch = assertThrows(TlsConfigException.class, () -> TlsMaterial.load(
                TlsSettings.trusting(ca.certFile()).withIdentity(node.cert(), other.key()))).getMessage();
        assertTrue(mismatch.contains("does not belong to the certificate"), mismatch);

        TestCertificates.Pair expired = ca.issue("old", List.of("127.0.0.1"),
                Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(1)));
        String expiredMessage = assertThrows(TlsConfigException.class, () -> TlsMaterial.load(
                TlsSettings.trusting(ca.certFile()).withIdentity(expired.cert(), expired.key()))).getMessage();
        assertTrue(expiredMessage.contains("expired on"), expiredMessage);

        TestCertificates otherCa = TestCertificates.ca(dir.resolve("other"), "other-ca");
        String foreign = assertThrows(TlsConfigException.class, () -> TlsMaterial.load(
                TlsSettings.trusting(otherCa.certFile()).withIdentity(node.cert(), node.key()))).getMessage();
        assertTrue(foreign.contains("is not signed by a CA in"), foreign);

        String notPem = assertThrows(TlsConfigException.class, () -> TlsMaterial.load(
                TlsSettings.trusting(node.key()))).getMessage();
        assertTrue(notPem.contains("no certificate in it"), notPem);
        Path pkcs1 = dir.resolve("rsa.key");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        String old = assertThrows(TlsConfigException.class, () -> TlsMaterial.load(
                TlsSettings.trusting(ca.certFile()).withIdentity(node.cert(), pkcs1))).getMessage();
        assertTrue(old.contains("openssl pkcs8 -topk8"), old);
        String missing = assertThrows(TlsConfigException.class, () -> TlsMaterial.load(
                TlsSettings.trusting(dir.resolve("nope.crt")))).getMessage();
        assertTrue(missing.contains("no such file"), missing);
    }

    @Test
    void aClientTrustingTheCaReachesTheNode() throws Exception {
        int port = server(node, false);
        assertEquals("hello", echo(ChannelFactory.of(TlsSettings.trusting(ca.certFile())), "127.0.0.1:" + port));
        assertEquals("hello", echo(ChannelFactory.of(TlsSettings.trusting(ca.certFile())), "localhost:" + port));
    }

    @Test
    void aClientWithAnotherCaIsToldTheNodeIsNotFromItsCa() throws Exception {
        int port = server(node, false);
        TestCertificates otherCa = TestCertificates.ca(dir.resolve("other"), "other-ca");
        String why = failure(ChannelFactory.of(TlsSettings.trusting(otherCa.certFile())), "127.0.0.1:" + port);
        assertTrue(why.contains("the certificate of node 127.0.0.1") && why.contains("is not signed by a CA in "
                + otherCa.certFile()), why);
    }

    @Test
    void aCertificateForAnotherHostIsRefusedByName() throws Exception {
        TestCertificates.Pair elsewhere = ca.issue("n9", List.of("127.0.0.9", "n9.example"), Duration.ofDays(1));
        int port = server(elsewhere, false);
        String why = failure(ChannelFactory.of(TlsSettings.trusting(ca.certFile())), "127.0.0.1:" + port);
        assertTrue(why.contains("is for [127.0.0.9, n9.example], not 127.0.0.1"), why);
    }

    @Test
    void aNodeRequiringClientCertificatesRefusesClientsWithoutOne() throws Exception {
        int port = server(node, true);
        String why = failure(ChannelFactory.of(TlsSettings.trusting(ca.certFile())), "127.0.0.1:" + port);
        assertTrue(why.contains("the node requires a client certificate"), why);

        TestCertificates.Pair client = ca.issue("admin", List.of(), Duration.ofDays(1));
        assertEquals("hello", echo(ChannelFactory.of(
                TlsSettings.trusting(ca.certFile()).withIdentity(client.cert(), client.key())), "127.0.0.1:" + port));

        TestCertificates otherCa = TestCertificates.ca(dir.resolve("other"), "other-ca");
        TestCertificates.Pair stranger = otherCa.issue("stranger", List.of(), Duration.ofDays(1));
        // The stranger trusts our CA (it knows the node) but presents a certificate from its own: its own
        // material refuses to load (TlsMaterial.load checks the chain), so build its channel from the other CA's
        // view, where its certificate is valid, and trust both CAs.
        Path both = dir.resolve("both.crt");
        Files.writeString(both, Files.readString(ca.certFile()) + Files.readString(otherCa.certFile()));
        String refused = failure(ChannelFactory.of(
                TlsSettings.trusting(both).withIdentity(stranger.cert(), stranger.key())), "127.0.0.1:" + port);
        assertTrue(refused.contains("requires a client certificate from its CA"), refused);
    }

    @Test
    void plaintextAndTlsDoNotMix() throws Exception {
        int tlsPort = server(node, false);
        String plaintext = failure(ChannelFactory.plaintext(), "127.0.0.1:" + tlsPort);
        assertTrue(plaintext.contains("as a node with TLS does to a plaintext client"), plaintext);
        int plainPort = start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)));
        String why = failure(ChannelFactory.of(TlsSettings.trusting(ca.certFile())), "127.0.0.1:" + plainPort);
        assertTrue(why.contains("does not speak TLS"), why);
    }

    @Test
    void replacedFilesAreUsedForTheNextHandshake() throws Exception {
        Path live = dir.resolve("live");
        Files.createDirectories(live);
        TestCertificates.Pair current = new TestCertificates.Pair(live.resolve("node.crt"), live.resolve("node.key"));
        Files.copy(node.cert(), current.cert());
        Files.copy(node.key(), current.key());
        int port = server(current, false);
        // A new factory for each look: a shared one would resume its TLS session and see no certificate again.
        TlsSettings client = TlsSettings.trusting(ca.certFile());
        assertEquals("CN=n1", peerSubject(ChannelFactory.of(client), "127.0.0.1:" + port));

        TestCertificates.Pair renewed = ca.issue("n1-renewed", List.of("127.0.0.1"), Duration.ofDays(2));
        // A half-written replacement (only the certificate so far) must not be taken up.
        Files.copy(renewed.cert(), current.cert(), StandardCopyOption.REPLACE_EXISTING);
        Thread.sleep(1_100);
        assertEquals("CN=n1", peerSubject(ChannelFactory.of(client), "127.0.0.1:" + port));
        Files.copy(renewed.key(), current.key(), StandardCopyOption.REPLACE_EXISTING);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String subject;
        do {
            Thread.sleep(300);
            subject = peerSubject(ChannelFactory.of(client), "127.0.0.1:" + port);
        } while (!subject.equals("CN=n1-renewed") && System.nanoTime() < deadline);
        assertEquals("CN=n1-renewed", subject);
    }

    private int server(TestCertificates.Pair identity, boolean requireClientCertificate) throws IOException {
        TlsMaterial material = TlsMaterial.load(
                TlsSettings.trusting(ca.certFile()).withIdentity(identity.cert(), identity.key()));
        return start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(ServerTls.grpc(material, requireClientCertificate)));
    }

    private int start(NettyServerBuilder b) throws IOException {
        Server s = b.addService(ServerServiceDefinition.builder("test.Echo")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((req, out) -> {
                    out.onNext(req);
                    out.onCompleted();
                })).build()).build().start();
        servers.add(s);
        return s.getPort();
    }

    private ManagedChannel channel(ChannelFactory factory, String target) {
        ManagedChannel ch = factory.forTarget(target).build();
        channels.add(ch);
        return ch;
    }

    private String echo(ChannelFactory factory, String target) {
        return new String(ClientCalls.blockingUnaryCall(channel(factory, target), ECHO,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "hello".getBytes()));
    }

    private String failure(ChannelFactory factory, String target) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> echo(factory, target));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        String why = TlsErrors.describe(e);
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append("\n  ").append(t);
        }
        assertNotNull(why, "no TLS reason in " + chain);
        return why;
    }

    /** The subject of the certificate the node presented on a fresh connection. */
    private String peerSubject(ChannelFactory factory, String target) throws Exception {
        ManagedChannel ch = channel(factory, target);
        ClientCall<byte[], byte[]> call = ch.newCall(ECHO, CallOptions.DEFAULT.withDeadlineAfter(10,
                TimeUnit.SECONDS));
        java.util.concurrent.CompletableFuture<SSLSession> session = new java.util.concurrent.CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onHeaders(Metadata headers) {
                session.complete(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                session.completeExceptionally(status.asRuntimeException());
            }
        }, new Metadata());
        call.sendMessage("x".getBytes());
        call.halfClose();
        call.request(1);
        X509Certificate cert = (X509Certificate) session.get(10, TimeUnit.SECONDS).getPeerCertificates()[0];
        ch.shutdownNow();
        return cert.getSubjectX500Principal().getName();
    }
}
