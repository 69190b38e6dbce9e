package io.partita.protocol.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * TLS contexts for a node's listeners, from its {@link TlsMaterial}: the gRPC port and the admin HTTP port.
 *
 * <pre>{@code
 * NettyServerBuilder.forPort(port).sslContext(ServerTls.grpc(material, requireClientCertificates));
 * HttpsServer.create(...).setHttpsConfigurator(new HttpsConfigurator(ServerTls.jdk(material)));
 * }</pre>
 */
public final class ServerTls {
    private ServerTls() {
    }

    /**
     * A gRPC server context presenting the node's certificate. A client certificate, when one is presented, must
     * come from the CA file; with {@code requireClientCertificate} a client without one is refused.
     *
     * @throws TlsConfigException if Netty cannot build the context
     */
    public static SslContext grpc(TlsMaterial material, boolean requireClientCertificate) {
        try {
            return GrpcSslContexts.configure(io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder
                            .forServer(material.keyManager()))
                    .trustManager(material.trustManager(false))
                    .clientAuth(requireClientCertificate ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
                    .build();
        } catch (SSLException e) {
            throw new TlsConfigException("cannot set up TLS for the gRPC port: " + e.getMessage(), e);
        }
    }

    /**
     * A JDK context presenting the node's certificate (the admin HTTP port, which asks for no client certificate:
     * probes and metrics scrapers have none).
     *
     * @throws TlsConfigException if the JDK cannot build the context
     */
    public static SSLContext jdk(TlsMaterial material) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {material.keyManager()},
                    new TrustManager[] {material.trustManager(false)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException("cannot set up TLS for the admin HTTP port: " + e.getMessage(), e);
        }
    }
}
