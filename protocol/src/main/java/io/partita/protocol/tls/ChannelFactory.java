package io.partita.protocol.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;

/**
 * The one place gRPC channels to Partita nodes are built: plaintext, or TLS with a {@link TlsMaterial}.
 *
 * <pre>{@code
 * ChannelFactory channels = ChannelFactory.of(settingsOrNull);       // null: plaintext
 * ManagedChannel ch = channels.forTarget("10.0.0.5:7300")
 *         .maxInboundMessageSize(16 << 20)                             // caller's own options
 *         .build();
 * }</pre>
 *
 * <p>With TLS the node's certificate must be signed by a CA in the CA file and name the host dialed; a failed
 * handshake reaches the caller as {@code UNAVAILABLE} whose cause chain carries the reason
 * ({@link TlsErrors#describe}).
 */
public final class ChannelFactory {
    private static final ChannelFactory PLAINTEXT = new ChannelFactory(null);

    private final SslContext ssl;

    private ChannelFactory(SslContext ssl) {
        this.ssl = ssl;
    }

    /** Channels without TLS. */
    public static ChannelFactory plaintext() {
        return PLAINTEXT;
    }

    /**
     * Plaintext channels for null, else TLS channels with the given files (loaded now).
     *
     * @throws TlsConfigException if the files cannot be used
     */
    public static ChannelFactory of(TlsSettings settings) {
        return settings == null ? PLAINTEXT : tls(TlsMaterial.load(settings), true);
    }

    /**
     * TLS channels presenting {@code material}'s certificate, if it has one.
     *
     * @param checkHostname whether a node's certificate must name the host dialed (see
     *                      {@link TlsMaterial#trustManager})
     */
    public static ChannelFactory tls(TlsMaterial material, boolean checkHostname) {
        try {
            SslContextBuilder b = GrpcSslContexts.forClient().trustManager(material.trustManager(checkHostname));
            if (material.settings().hasIdentity()) {
                b.keyManager(material.keyManager());
            }
            return new ChannelFactory(b.build());
        } catch (SSLException e) {
            throw new TlsConfigException("cannot set up TLS for outgoing connections: " + e.getMessage(), e);
        }
    }

    /** Whether channels use TLS. */
    public boolean secure() {
        return ssl != null;
    }

    /** A channel builder for {@code target} ({@code host:port}, or a name a registered resolver knows). */
    public NettyChannelBuilder forTarget(String target) {
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(target);
        return ssl == null ? b.usePlaintext() : b.negotiationType(NegotiationType.TLS).sslContext(ssl);
    }
}
