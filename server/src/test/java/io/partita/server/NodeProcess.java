package io.partita.server;

import io.partita.server.config.ConfigWriter;
import io.partita.server.config.NodeConfig;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A node running as its own OS process, as in production: for kill -9, SIGTERM and SIGSTOP tests. */
final class NodeProcess implements AutoCloseable {
    private final NodeConfig config;
    private final List<String> jvmOptions;
    private final Path log;
    private Process process;

    NodeProcess(NodeConfig config) {
        this(config, List.of());
    }

    /** A node whose JVM gets extra options, e.g. {@code -Dpartita.test.crash-at=...}. */
    NodeProcess(NodeConfig config, List<String> jvmOptions) {
        this.config = config;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.log = config.dataDir().resolveSibling(config.nodeId() + ".log");
    }

    static Process launch(Path conf, Path log) throws IOException {
        return launch(conf, log, List.of());
    }

    /**
     * JVM options every node process gets (before a test's own), from {@value #JVM_PROPERTY} if set (blank: none).
     * By default the client compiler only and the serial collector: a test's node lives for seconds to a minute or
     * two, on a 2-core machine shared with two to four other nodes and the test's JVM, so it spends much of its CPU
     * starting up and compiling; C2 and G1's concurrent threads cost more there than they give back.
     */
    static final List<String> DEFAULT_JVM_OPTIONS = jvmOptionsFromProperty();
    static final String JVM_PROPERTY = "partita.test.node-jvm-options";

    private static List<String> jvmOptionsFromProperty() {
        String given = System.getProperty(JVM_PROPERTY, "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        return given.isBlank() ? List.of() : List.of(given.strip().split("\\s+"));
    }

    static Process launch(Path conf, Path log, List<String> jvmOptions) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m"));
        command.addAll(DEFAULT_JVM_OPTIONS);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PartitaServerMain.class.getName(),
                "--conf", conf.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    NodeProcess start() throws Exception {
        launch();
        return awaitReady();
    }

    /** Starts the process without waiting for it: a node with seeds is ready only once the cluster exists. */
    NodeProcess launch() throws IOException {
        Path conf = config.dataDir().resolveSibling(config.nodeId() + ".yaml");
        ConfigWriter.write(config, conf);
        process = launch(conf, log, jvmOptions);
        return this;
    }

    /** Waits until the node's /ready answers 200 (joined, every local group led). */
    NodeProcess awaitReady() throws Exception {
        return awaitReady(Duration.ofSeconds(60));
    }

    /** As {@link #awaitReady()}, waiting at most {@code timeout}. */
    NodeProcess awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("node exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (ready()) {
                return this;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("node not ready within " + timeout.toSeconds() + " s:\n" + logTail());
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    NodeConfig config() {
        return config;
    }

    boolean ready() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + config.listen().advertisedHost() + ":"
                    + config.listen().adminPort() + "/ready").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(500);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    String clientAddress() {
        return config.listen().advertisedHost() + ":" + config.listen().clientPort();
    }

    /** Waits for the process to exit by itself; its exit code, or -1 if it still runs after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    long pid() {
        return process.pid();
    }

    /** kill -9: no shutdown hook, no flush. */
    int kill9() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /** SIGTERM: the node's shutdown hook closes it cleanly. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node did not stop within 30 s of SIGTERM:\n" + logTail()
                    + "\nits threads:\n" + threadDump());
        }
        return process.exitValue();
    }

    void signal(String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** The JVM's thread dump (jcmd), to show what a node that does not stop waits for. */
    String threadDump() {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String dump = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            try {
                signal("CONT");
            } catch (Exception ignored) {
                // best effort: the process may be gone already
            }
            process.destroyForcibly();
        }
    }
}
