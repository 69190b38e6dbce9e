package io.partita.server.security;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.tls.ServerTls;
import io.partita.protocol.tls.TlsConfigException;
import io.partita.protocol.tls.TlsMaterial;
import io.partita.server.config.ConfigException;
import io.partita.server.config.NodeConfig;
import javax.net.ssl.SSLContext;

/**
 * The node's TLS on each of its ports, from the config's {@code tls} section: one {@link TlsMaterial} (so one
 * reload) behind the client gRPC port, the Raft port, the admin HTTP port and the node's own calls to its peers.
 * With TLS off every method answers "plaintext".
 *
 * <pre>{@code
 * NodeTls tls = NodeTls.load(config);                      // ConfigException naming a bad file
 * tls.secure(NettyServerBuilder.forPort(p));                // the client port
 * new Peers(timeout, tls.peerChannels());                   // node-to-node calls, with the node's certificate
 * }</pre>
 */
public final class NodeTls {
    private final NodeConfig.Tls config;
    private final TlsMaterial material;

    private NodeTls(NodeConfig.Tls config, TlsMaterial material) {
        this.config = config;
        this.material = material;
    }

    /**
     * Reads and checks the TLS files (none when TLS is off).
     *
     * @throws ConfigException at key {@code tls} with the file at fault and what to do
     */
    public static NodeTls load(NodeConfig config) {
        NodeConfig.Tls tls = config.tls();
        if (!tls.enabled()) {
            return new NodeTls(tls, null);
        }
        try {
            return new NodeTls(tls, TlsMaterial.load(tls.settings()));
        } catch (TlsConfigException e) {
            throw new ConfigException(null, "tls", e.getMessage());
        }
    }

    public boolean enabled() {
        return material != null;
    }

    /** The material (for the Raft transport), or null with TLS off. */
    public TlsMaterial material() {
        return material;
    }

    /**
     * {@code b} serving TLS when on; clients must then present a certificate from the CA file if {@code
     * client-auth} is set, and may present one otherwise (nodes calling a peer's client port do).
     */
    public NettyServerBuilder secure(NettyServerBuilder b) {
        return material == null ? b : b.sslContext(ServerTls.grpc(material, config.clientAuth()));
    }

    /**
     * Channels for this node's calls to other nodes' client ports: with TLS they present this node's certificate and
     * check the peer's against the CA file and the address dialed.
     */
    public ChannelFactory peerChannels() {
        return material == null ? ChannelFactory.plaintext() : ChannelFactory.tls(material, true);
    }

    /** The admin HTTP port's TLS context, or null to serve plain HTTP. */
    public SSLContext adminHttp() {
        return material == null ? null : ServerTls.jdk(material);
    }
}
