package io.partita.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP relay that keeps a copy of every byte it passes, both ways: what an eavesdropper on the link would
 * see. Only 127.0.0.1 is bound or dialled.
 */
final class TapProxy implements AutoCloseable {
    /** Enough for a test's traffic; later bytes are relayed but not kept. */
    private static final int MAX_KEPT = 64 << 20;

    private final ServerSocket listener;
    private final int targetPort;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    private final List<Socket> sockets = new ArrayList<>();
    private volatile boolean closed;

    TapProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        PartitionProxy.daemon(this::accept, "tap-accept");
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Bytes seen so far, both directions. */
    synchronized long bytesSeen() {
        return seen.size();
    }

    /** Whether {@code needle} passed the link in one piece (in either direction). */
    synchronized boolean saw(byte[] needle) {
        byte[] hay = seen.toByteArray();
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket in = listener.accept();
                Socket out = new Socket();
                out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                synchronized (sockets) {
                    sockets.add(in);
                    sockets.add(out);
                }
                PartitionProxy.daemon(() -> pump(in, out), "tap-up");
                PartitionProxy.daemon(() -> pump(out, in), "tap-down");
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 << 10];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (this) {
                    if (seen.size() + n <= MAX_KEPT) {
                        seen.write(buf, 0, n);
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close both
        } finally {
            PartitionProxy.closeQuietly(from);
            PartitionProxy.closeQuietly(to);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        synchronized (sockets) {
            sockets.forEach(PartitionProxy::closeQuietly);
        }
    }
}
