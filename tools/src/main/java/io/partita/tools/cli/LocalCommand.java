package io.partita.tools.cli;

import io.partita.server.config.ConfigException;
import io.partita.server.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code partita local}: runs a local node as a child process in the foreground until Ctrl-C.
 *
 * <p>Node {@code n1} lives in {@code DIR/n1/}: {@code node.yaml} (written on the first start, reused afterwards),
 * its data, {@code node.log} and {@code partita.pid}.
 */
@Command(name = "local", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Starts a local Partita node in the background, waits until it is ready, prints how to "
                + "connect, and stops it on Ctrl-C (or SIGTERM).",
                "Node n1 keeps its configuration (node.yaml), data, log (node.log) and pid file (partita.pid) in "
                        + "DIR/n1/; starting again on the same DIR reuses them. Ports: BASE (client), BASE+1 (raft), "
                        + "BASE+2 (admin HTTP), all on 127.0.0.1."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"130/143:stopped with Ctrl-C / SIGTERM (the node was stopped first)",
                "1:the node could not start, died, or is already running from DIR; or a port is in use",
                "2:usage error"},
        footer = {"", "Example: partita local --dir ./data --port 7300"})
public final class LocalCommand implements Callable<Integer> {

    /** How long the node may take to become ready. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** How long the node may take to stop after SIGTERM before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** Lines of node.log shown when the node fails. */
    static final int TAIL_LINES = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "./data",
            description = "Directory of the local cluster's nodes (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--port", paramLabel = "BASE", defaultValue = "7300",
            description = "Client port of the node; BASE+1 and BASE+2 are its raft and admin ports "
                    + "(default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1",
            description = "Number of nodes (default: ${DEFAULT-VALUE}; only 1 for now).")
    int nodes;

    private PrintWriter out;
    private PrintWriter err;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (nodes > 1) {
            return fail(ExitCodes.USAGE,
                    "multi-node local clusters arrive with cluster support; use --nodes 1");
        }
        LocalLayout layout;
        try {
            layout = new LocalLayout(dir, basePort, nodes);
        } catch (IllegalArgumentException e) {
            return fail(ExitCodes.USAGE, e.getMessage());
        }
        LocalNode node = new LocalNode(layout, 1);

        OptionalLong running = node.runningPid();
        if (running.isPresent()) {
            return fail(1, "a node is already running from " + layout.root() + " (pid " + running.getAsLong()
                    + "); stop it first");
        }

        NodeConfig config;
        try {
            config = prepareConfig(layout, node);
        } catch (ConfigException e) {
            return fail(ExitCodes.USAGE, node.confFile() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return fail(ExitCodes.USAGE, e.getMessage());
        } catch (IOException e) {
            return fail(1, "cannot write " + node.confFile() + ": " + e.getMessage());
        }
        NodeConfig.Listen listen = config.listen();

        Optional<String> busy = LocalNode.firstBusyPort(listen.address(), listen.clientPort(), listen.raftPort(),
                listen.adminPort());
        if (busy.isPresent()) {
            String hint = portExplicit() || !reusedConfig
                    ? "pick other ports with --port BASE (BASE, BASE+1 and BASE+2 must be free)"
                    : node.dir() + " uses ports " + listen.clientPort() + "-" + listen.adminPort()
                            + "; free them, or start a new cluster with --dir OTHER --port BASE";
            return fail(1, "port " + busy.get() + " on " + listen.address() + " is already in use; " + hint);
        }
        return runNode(node, config);
    }

    private boolean reusedConfig;

    private boolean portExplicit() {
        return spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption("--port");
    }

    /** The existing node.yaml (data dir kept in sync with DIR), or a new one for this layout. */
    private NodeConfig prepareConfig(LocalLayout layout, LocalNode node) throws IOException {
        Optional<NodeConfig> existing = node.existingConfig();
        if (existing.isPresent()) {
            reusedConfig = true;
            NodeConfig config = existing.get();
            if (portExplicit() && config.listen().clientPort() != layout.clientPort(1)) {
                throw new IllegalArgumentException(node.dir() + " was created with --port "
                        + config.listen().clientPort() + "; use that port (or leave --port out), or a new --dir");
            }
            if (!config.dataDir().toAbsolutePath().normalize().equals(node.dir())) {
                // DIR was moved or renamed: same node, same data, new place.
                config = config.withDataDir(node.dir());
                node.writeConfig(config);
            }
            return config;
        }
        NodeConfig config = NodeConfig.defaults(layout.nodeId(1), node.dir())
                .withPorts(layout.clientPort(1), layout.raftPort(1), layout.adminPort(1));
        node.writeConfig(config);
        return config;
    }

    private int runNode(LocalNode node, NodeConfig config) {
        NodeConfig.Listen listen = config.listen();
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Process process;
        try {
            process = node.spawn();
        } catch (IOException e) {
            return fail(1, "cannot start the node process: " + e.getMessage());
        }
        long pid = process.pid();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            try {
                out.println("Stopping node " + node.nodeId() + " (pid " + pid + ")...");
                out.flush();
                LocalNode.stop(process, STOP_GRACE);
                node.deletePidFile(pid);
                out.println("stopped");
                out.flush();
            } finally {
                stopped.countDown();
            }
        }, "partita-local-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        out.println("Starting node " + node.nodeId() + " (pid " + pid + "), waiting until it is ready...");
        out.flush();
        LocalNode.Readiness readiness = LocalNode.awaitReady(process, listen.address(), listen.adminPort(),
                READY_TIMEOUT);
        if (readiness == LocalNode.Readiness.READY) {
            printBanner(node, config, pid);
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (stoppedByUs(stopping)) {
            awaitQuietly(stopped);
            return 0;
        }
        // Not asked to stop: the node died or never became ready.
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            awaitQuietly(stopped); // the JVM began to shut down meanwhile: the hook handles it
            return 0;
        }
        String why;
        if (readiness == LocalNode.Readiness.TIMED_OUT) {
            why = "node " + node.nodeId() + " (pid " + pid + ") was not ready within " + READY_TIMEOUT.toSeconds()
                    + " s; stopping it";
            LocalNode.stop(process, STOP_GRACE);
        } else if (readiness == LocalNode.Readiness.INTERRUPTED) {
            why = "interrupted while waiting for node " + node.nodeId() + "; stopping it";
            LocalNode.stop(process, STOP_GRACE);
        } else {
            why = "node " + node.nodeId() + " (pid " + pid + ") exited with code " + exitValue(process);
        }
        node.deletePidFile(pid);
        err.println("partita local: " + why + "; last lines of " + node.logFile() + ":");
        for (String line : node.logTail(TAIL_LINES)) {
            err.println("  " + line);
        }
        err.flush();
        return 1;
    }

    /** Whether the shutdown hook runs; gives it a moment to start when Ctrl-C reached the node first. */
    private static boolean stoppedByUs(AtomicBoolean stopping) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        while (!stopping.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return stopping.get();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String exitValue(Process p) {
        try {
            return Integer.toString(p.exitValue());
        } catch (IllegalThreadStateException e) {
            return "?";
        }
    }

    private void printBanner(LocalNode node, NodeConfig config, long pid) {
        NodeConfig.Listen listen = config.listen();
        String client = listen.address() + ":" + listen.clientPort();
        String ns = config.namespaces().get(0).name();
        out.println("Partita node " + node.nodeId() + " is ready.");
        out.println("  pid:       " + pid);
        out.println("  data dir:  " + node.dir());
        out.println("  log file:  " + node.logFile());
        out.println("  client:    " + client + "   (admin http://" + listen.address() + ":" + listen.adminPort()
                + "/ready)");
        out.println();
        out.println("Try it from another terminal:");
        out.println("  bin/partita put --hosts " + client + " " + ns + " demo alice name=Alice age=30");
        out.println("  bin/partita get --hosts " + client + " " + ns + " demo alice");
        out.println();
        out.println("Or from Java (io.partita:partita-client):");
        out.println("  try (PartitaClient client = PartitaClient.connect(\"" + client + "\")) {");
        out.println("      client.put(new Key(\"" + ns + "\", \"demo\", \"alice\"), Map.of(\"name\", \"Alice\", "
                + "\"age\", 30));");
        out.println("  }");
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private int fail(int code, String message) {
        err.println("partita local: " + message);
        err.flush();
        return code;
    }
}
