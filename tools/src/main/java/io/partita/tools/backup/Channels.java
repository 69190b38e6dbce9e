package io.partita.tools.backup;

import io.grpc.ManagedChannel;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.tools.cli.CliTls;
import io.partita.tools.cli.CliUser;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per node address for the long streams of a backup. HTTP/2 keep-alive pings notice a node that
 * died or was paused mid-stream, so a group's export fails over to another replica instead of hanging.
 */
final class Channels implements AutoCloseable {
    /** Exports stream up to a MiB per message; leave room for framing. */
    private static final int MAX_INBOUND_BYTES = 16 << 20;

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    /** TLS as the environment says ({@link CliTls}). */
    private final ChannelFactory channelFactory = CliTls.channels();

    ManagedChannel get(String address) {
        return channels.computeIfAbsent(address, a -> CliUser.intercept(channelFactory.forTarget(a))
                .keepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveTimeout(5, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(false)
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .build());
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel ch : channels.values()) {
            try {
                ch.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
