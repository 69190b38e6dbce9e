package io.partita.tools;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports chosen at run time. */
public final class TestPorts {
    private TestPorts() {
    }

    /** A port that was free a moment ago. */
    public static int free() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A base port such that base, base+1 and base+2 were all free a moment ago. */
    public static int freeBase() {
        return freeBase(3);
    }

    /** A base port such that base .. base+count-1 were all free a moment ago (e.g. 9 for three local nodes). */
    public static int freeBase(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 60_000 - count);
            boolean free = true;
            for (int p = base; p < base + count && free; p++) {
                free = isFree(p);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports found");
    }

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
