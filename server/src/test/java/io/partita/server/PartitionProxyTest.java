package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.testing.TestPorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The proxy between "node 0" (this JVM, which opens the connections) and "node 1" (an echo server): it tells who
 * opened a connection, black-holes one direction or both without closing anything, and after healing closes the
 * connections that lost bytes so the nodes reconnect.
 */
@EnabledOnOs(OS.LINUX)
class PartitionProxyTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private ServerSocket echo;
    private PartitionProxy proxy;
    private int proxyPort;
    private final AtomicLong echoed = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, LOOPBACK);
        Thread t = new Thread(this::serveEcho, "echo");
        t.setDaemon(true);
        t.start();
        proxyPort = TestPorts.free();
        long self = ProcessHandle.current().pid();
        // Node 0 listens nowhere (port 1 is never dialled here); node 1 is the echo server.
        proxy = new PartitionProxy(new int[] {TestPorts.free(), proxyPort}, new int[] {1, echo.getLocalPort()},
                i -> i == 0 ? self : -1);
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private void serveEcho() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread t = new Thread(() -> {
                    try (s; InputStream in = s.getInputStream()) {
                        int b;
                        while ((b = in.read()) >= 0) {
                            echoed.incrementAndGet();
                            s.getOutputStream().write(b);
                        }
                    } catch (IOException ignored) {
                        // connection closed
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(LOOPBACK, proxyPort), 2_000);
        s.setSoTimeout(1_000);
        return s;
    }

    private static byte[] roundTrip(Socket s, byte[] data) throws IOException {
        s.getOutputStream().write(data);
        return s.getInputStream().readNBytes(data.length);
    }

    @Test
    void forwardsAndAttributesTheConnectionToTheNodeThatOpenedIt() throws IOException {
        try (Socket s = connect()) {
            assertArrayEquals(new byte[] {1, 2, 3}, roundTrip(s, new byte[] {1, 2, 3}));
        }
        assertEquals(0, proxy.unknownSources());
    }

    @Test
    void oneWayCutDropsOnlyThatDirectionAndKeepsTheConnectionOpen() throws Exception {
        try (Socket s = connect()) {
            assertArrayEquals(new byte[] {1}, roundTrip(s, new byte[] {1}));
            proxy.cut(1, 0); // node 1's answers are lost, node 0's requests still arrive
            s.getOutputStream().write(new byte[] {2, 3});
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
            assertEquals(3, echoed.get(), "the requests still reached node 1");
            assertEquals(2, proxy.droppedBytes());
        }
    }

    @Test
    void bothWaysIsSilenceAndHealingClosesTheDamagedConnection() throws Exception {
        Socket s = connect();
        assertArrayEquals(new byte[] {1}, roundTrip(s, new byte[] {1}));
        proxy.isolate(0, true, true);
        s.getOutputStream().write(new byte[] {2});
        assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "nothing comes back, no close");
        assertEquals(1, echoed.get(), "node 1 heard nothing");
        try (Socket during = connect()) {
            during.getOutputStream().write(new byte[] {4});
            assertThrows(SocketTimeoutException.class, () -> during.getInputStream().read(), "new connections too");
        }
        proxy.healAll();
        assertEquals(-1, s.getInputStream().read(), "the connection that lost bytes is closed once healed");
        s.close();
        try (Socket after = connect()) {
            assertArrayEquals(new byte[] {5}, roundTrip(after, new byte[] {5}));
        }
        assertTrue(proxy.droppedBytes() >= 2);
    }
}
