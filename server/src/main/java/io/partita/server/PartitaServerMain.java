package io.partita.server;

import io.partita.engine.time.Clock;
import io.partita.server.config.ConfigException;
import io.partita.server.security.NodeTls;
import io.partita.server.config.ConfigLoader;
import io.partita.server.config.NodeConfig;
import io.partita.server.config.StartupChecks;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of a node process: {@code partita server --conf conf/node.yaml}. Bad configuration ends the process
 * with a one-line error and exit code 2; a start-up failure with exit code 1.
 */
public final class PartitaServerMain {
    static {
        // Before anything loads CompletableFuture, which reads the common pool's parallelism once.
        CommonPoolParallelism.ensure(System.getProperties(), Runtime.getRuntime().availableProcessors());
    }

    private PartitaServerMain() {
    }

    /** Seconds a node trusts a host name lookup, unless the JVM was told otherwise. */
    static final String DNS_CACHE_SECONDS = "5";

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Peers and clients are found by host name and looked up again when a connection fails ({@code PeerAddresses},
     * gRPC's DNS resolver); the JDK would answer such a lookup from its cache for 30 s after a name moved to a new IP
     * (a rescheduled pod). Set before the first lookup; {@code -Dsun.net.inetaddr.ttl} or the security property
     * {@code networkaddress.cache.ttl} still win.
     */
    static void followAddressChanges() {
        if (java.security.Security.getProperty("networkaddress.cache.ttl") == null
                && System.getProperty("sun.net.inetaddr.ttl") == null) {
            java.security.Security.setProperty("networkaddress.cache.ttl", DNS_CACHE_SECONDS);
        }
    }

    /** Runs a node until the JVM is asked to stop; returns the process exit code. */
    public static int run(String[] args) {
        followAddressChanges();
        Path conf = null;
        String seeds = null;
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("--conf") || args[i].equals("-c")) && i + 1 < args.length) {
                conf = Path.of(args[++i]);
            } else if (args[i].equals("--seeds") && i + 1 < args.length) {
                seeds = args[++i];
            } else if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println("usage: partita server --conf FILE [--seeds HOST:PORT,...]   (see conf/node.yaml)");
                return 0;
            } else {
                System.err.println("partita server: unknown argument '" + args[i] + "'; usage: partita server"
                        + " --conf FILE [--seeds HOST:PORT,...]");
                return 2;
            }
        }
        if (conf == null) {
            System.err.println("partita server: --conf FILE is required (an example is in conf/node.yaml)");
            return 2;
        }
        NodeConfig config;
        Clock clock;
        try {
            clock = ClockOffset.fromProperties(System.getProperties());
            config = ConfigLoader.load(conf);
            if (seeds != null) {
                // --seeds replaces the config's seeds list; validated like the config key.
                config = config.withSeeds(seeds.isBlank() ? List.of() : List.of(seeds.split(",")));
            }
            StartupChecks.prepareDataDir(config, conf.toString());
            NodeTls.load(config); // the TLS files, read again by the node: a bad one is a config error, exit 2
        } catch (ConfigException e) {
            System.err.println("partita server: " + e.getMessage());
            return 2;
        }
        Node node;
        try {
            node = Node.start(config, clock);
        } catch (Exception e) {
            System.err.println("partita server: node " + config.nodeId() + " failed to start: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(PartitaServerMain.class).error("Start-up failed", e);
            return 1;
        }
        java.time.Duration stopHandOff = config.stopHandOff();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // A planned stop: the groups this node leads get a new leader now, while it still answers, instead of
            // waiting an election timeout once it is gone.
            if (!stopHandOff.isZero()) {
                node.handOffLeadership(stopHandOff);
            }
            node.close();
            // A JVM stopped by SIGTERM exits 143 even after a clean shutdown; report the clean stop as 0 so
            // supervisors (systemd, partita local) can tell it from a crash.
            Runtime.getRuntime().halt(0);
        }, "partita-shutdown"));
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
