package io.partita.protocol.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports chosen at run time, for every module's tests. A port is handed out at most once per JVM: asking the
 * kernel for a free port twice in a row may return the same one (once the first socket is closed), and a test that
 * gave it to two listeners then failed at start-up ("raft-port is already the client-port").
 */
public final class TestPorts {
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private TestPorts() {
    }

    /** A port on 127.0.0.1 that was free a moment ago and was not handed out before in this JVM. */
    public static int free() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("cannot bind a loopback socket", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("the kernel kept offering ports already handed out");
    }

    /** A base port such that base, base+1 and base+2 were all free a moment ago. */
    public static int freeBase() {
        return freeBase(3);
    }

    /**
     * A base port such that base .. base+count-1 were all free a moment ago and none was handed out before (e.g. 9
     * for three local nodes, which take consecutive ports).
     */
    public static int freeBase(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            // Below Linux's ephemeral range (32768-60999): a node started later on these ports (a cluster grown,
            // restarted) must not find one taken by an outgoing connection made meanwhile.
            int base = ThreadLocalRandom.current().nextInt(20_000, 32_768 - count);
            boolean free = true;
            for (int p = base; p < base + count && free; p++) {
                free = !HANDED_OUT.contains(p) && isFree(p);
            }
            if (free) {
                for (int p = base; p < base + count; p++) {
                    HANDED_OUT.add(p);
                }
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports found");
    }

    /** Whether a listener could bind {@code port} on 127.0.0.1 just now. */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
