package io.partita.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft network between the node processes of a {@link ProcessCluster}, as loopback TCP proxies the test can cut.
 *
 * <p>Node {@code i} binds Ratis on its real raft-port and advertises (listen.advertise-raft-address) the port of
 * proxy {@code i}, so every Raft connection to it, from any peer, passes here. The proxy finds which node opened a
 * connection by looking up the connecting socket in {@code /proc/net/tcp*} and the node processes' open file
 * descriptors (Linux). A cut from {@code a} to {@code b} black-holes the bytes {@code a} sends to {@code b}, on the
 * connections {@code a} opened (its requests) and on those {@code b} opened (a's answers): nothing is closed, so
 * Ratis sees only silence and times out, as on a real partition. The bytes are discarded, so when the cut heals the
 * proxy closes every connection that lost bytes (its HTTP/2 stream is broken, as a TCP connection past its
 * retransmission timeout would be) and the nodes reconnect.
 *
 * <p>Only 127.0.0.1 is ever bound or dialled.
 */
final class PartitionProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionProxy.class);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** {@link #opener}: the other end of the connection is closed already. */
    private static final int GONE = -2;

    private final int[] targetPorts;
    private final IntToLongFunction pidOfNode;
    private final List<ServerSocket> listeners = new ArrayList<>();
    /** Directed cuts, {@code from * n + to}. */
    private final Set<Integer> cuts = ConcurrentHashMap.newKeySet();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong droppedBytes = new AtomicLong();
    private final AtomicLong unknownSources = new AtomicLong();
    private volatile boolean closed;

    /**
     * Starts one proxy per node.
     *
     * @param listenPorts the port each node advertises (where its proxy listens)
     * @param targetPorts each node's real raft-port
     * @param pidOfNode   the pid of node {@code i}'s current process, or -1 while it is down
     */
    PartitionProxy(int[] listenPorts, int[] targetPorts, IntToLongFunction pidOfNode) throws IOException {
        this.targetPorts = targetPorts.clone();
        this.pidOfNode = pidOfNode;
        if (!Files.isReadable(Path.of("/proc/net/tcp"))) {
            throw new IllegalStateException("the partition proxy needs Linux /proc/net/tcp to tell the nodes apart");
        }
        for (int i = 0; i < listenPorts.length; i++) {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(LOOPBACK, listenPorts[i]));
            listeners.add(listener);
            int node = i;
            daemon(() -> accept(listener, node), "proxy-n" + (i + 1) + "-accept");
        }
    }

    /** Drops from now on every byte node {@code from} sends to node {@code to}; the other direction still flows. */
    void cut(int from, int to) {
        cuts.add(from * size() + to);
    }

    /** Cuts node {@code node} off: its outgoing bytes if {@code out}, its incoming ones if {@code in}. */
    void isolate(int node, boolean out, boolean in) {
        for (int other = 0; other < size(); other++) {
            if (other != node) {
                if (out) {
                    cut(node, other);
                }
                if (in) {
                    cut(other, node);
                }
            }
        }
    }

    /** Heals every cut and closes the connections that lost bytes (the nodes reconnect). */
    void healAll() {
        cuts.clear();
        for (Link link : links) {
            if (link.damaged) {
                link.close();
            }
        }
    }

    boolean isCut(int from, int to) {
        return from >= 0 && to >= 0 && cuts.contains(from * size() + to);
    }

    /** Bytes black-holed so far: a cut that drops nothing was no partition. */
    long droppedBytes() {
        return droppedBytes.get();
    }

    /** Connections whose opener was none of the nodes (never cut). */
    long unknownSources() {
        return unknownSources.get();
    }

    private int size() {
        return targetPorts.length;
    }

    private void accept(ServerSocket listener, int to) {
        while (!closed) {
            Socket in;
            try {
                in = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("proxy of n{} stopped accepting", to + 1, e);
                }
                return;
            }
            int from = opener(in);
            if (from == GONE) {
                closeQuietly(in); // its opener closed it already (a node killed while it connected)
                continue;
            }
            if (from < 0) {
                unknownSources.incrementAndGet();
                LOG.warn("proxy of n{}: cannot tell which node opened the connection from port {}; it is never cut",
                        to + 1, in.getPort());
            }
            Socket out = new Socket();
            try {
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                out.connect(new InetSocketAddress(LOOPBACK, targetPorts[to]), 2_000);
            } catch (IOException e) {
                // The node is down: refuse the connection as the node itself would.
                closeQuietly(in);
                closeQuietly(out);
                continue;
            }
            Link link = new Link(in, out);
            links.add(link);
            daemon(() -> link.pump(in, out, from, to), "proxy-n" + (from + 1) + "-to-n" + (to + 1));
            daemon(() -> link.pump(out, in, to, from), "proxy-n" + (to + 1) + "-to-n" + (from + 1));
        }
    }

    /** One proxied connection; {@code damaged} once a cut dropped some of its bytes. */
    private final class Link {
        private final Socket in;
        private final Socket out;
        private volatile boolean damaged;

        Link(Socket in, Socket out) {
            this.in = in;
            this.out = out;
        }

        /** Copies {@code src} to {@code dst}, the bytes node {@code from} sends to node {@code to}. */
        void pump(Socket src, Socket dst, int from, int to) {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream is = src.getInputStream()) {
                OutputStream os = dst.getOutputStream();
                int n;
                while ((n = is.read(buffer)) >= 0) {
                    if (isCut(from, to)) {
                        damaged = true;
                        droppedBytes.addAndGet(n);
                        continue;
                    }
                    if (damaged && !isCut(to, from)) {
                        break; // healed, but the stream lost bytes: close it so the nodes reconnect
                    }
                    os.write(buffer, 0, n);
                    os.flush();
                }
            } catch (IOException e) {
                // either side closed or reset the connection: close the other side too
            } finally {
                close();
            }
        }

        void close() {
            links.remove(this);
            closeQuietly(in);
            closeQuietly(out);
        }
    }

    /**
     * The node whose process opened the connection {@code accepted}, or -1: the kernel's socket table gives the inode
     * of the socket at the other end (local port = our remote port, remote port = our local port), and the node whose
     * process holds that inode among its file descriptors opened it. {@link #GONE} if that socket is closed already.
     */
    private int opener(Socket accepted) {
        boolean seen = false;
        for (int attempt = 0; attempt < 20; attempt++) {
            long inode = socketInode(accepted.getPort(), accepted.getLocalPort());
            if (inode > 0) {
                seen = true;
                String link = "socket:[" + inode + "]";
                for (int i = 0; i < size(); i++) {
                    long pid = pidOfNode.applyAsLong(i);
                    if (pid > 0 && holds(pid, link)) {
                        return i;
                    }
                }
            } else if (seen || attempt >= 3) {
                return GONE;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    private static long socketInode(int localPort, int remotePort) {
        String local = String.format(":%04X", localPort);
        String remote = String.format(":%04X", remotePort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(remote) && !f[9].equals("0")) {
                    return Long.parseLong(f[9]);
                }
            }
        }
        return -1;
    }

    private static boolean holds(long pid, String socketLink) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(socketLink);
                } catch (IOException | UncheckedIOException e) {
                    return false; // closed meanwhile
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return false; // the process is gone
        }
    }

    /** Runs {@code r} on a new daemon thread (also {@link TapProxy}'s). */
    static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ServerSocket l : listeners) {
            try {
                l.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Link link : links) {
            link.close();
        }
    }
}
