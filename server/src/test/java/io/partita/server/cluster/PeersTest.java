package io.partita.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.partita.protocol.testing.TestPorts;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.DescribeNodeRequest;
import io.partita.protocol.v1.NodeDescription;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** A peer that was down while this node kept calling it is reachable again as soon as it is back. */
class PeersTest {
    @Test
    void aPeerThatComesBackIsReachedWithoutWaitingOutTheReconnectBackoff() throws Exception {
        int port = TestPorts.free();
        String address = "127.0.0.1:" + port;
        try (Peers peers = new Peers(1_000)) {
            // Several failed connection attempts grow gRPC's reconnect backoff (1 s, then x1.6 each time).
            long start = System.nanoTime();
            while (System.nanoTime() - start < 7_000_000_000L) {
                assertThrows(StatusRuntimeException.class, () -> peers.describe(address));
                Thread.sleep(300);
            }
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(new AdminGrpc.AdminImplBase() {
                        @Override
                        public void describeNode(DescribeNodeRequest request, StreamObserver<NodeDescription> out) {
                            out.onNext(NodeDescription.newBuilder().setNodeId("back").build());
                            out.onCompleted();
                        }
                    })
                    .build().start();
            try {
                long up = System.nanoTime();
                String answer = null;
                while (answer == null && System.nanoTime() - up < 1_500_000_000L) {
                    try {
                        answer = peers.describe(address).getNodeId();
                    } catch (StatusRuntimeException e) {
                        Thread.sleep(100);
                    }
                }
                assertEquals("back", answer, "the peer answers within 1.5 s of coming back");
                assertTrue(System.nanoTime() - up < 1_500_000_000L);
            } finally {
                server.shutdownNow();
            }
        }
    }
}
