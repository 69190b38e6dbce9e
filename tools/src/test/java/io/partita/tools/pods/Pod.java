package io.partita.tools.pods;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One pod as a process: the container's entrypoint script run with the pod's environment (it execs the node, so
 * the process is the node), and the kubelet's way of stopping it (preStop hook, then SIGTERM).
 */
final class Pod {
    private final int ordinal;
    private final Map<String, String> env;
    private final Path preStop;
    private final Path log;
    private final String readyUrl;
    private final HttpClient probes;
    private final Process process;

    private Pod(int ordinal, Map<String, String> env, Path preStop, Path log, String readyUrl, HttpClient probes,
                Process process) {
        this.ordinal = ordinal;
        this.env = env;
        this.preStop = preStop;
        this.log = log;
        this.readyUrl = readyUrl;
        this.probes = probes;
        this.process = process;
    }

    /** {@code probes}: the kubelet's HTTP client (HTTPS without a client certificate when the node runs TLS). */
    static Pod start(int ordinal, Map<String, String> env, Path entrypoint, Path preStop, Path log, String readyUrl,
                     HttpClient probes) throws IOException {
        ProcessBuilder b = new ProcessBuilder("bash", entrypoint.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        b.environment().putAll(env);
        return new Pod(ordinal, env, preStop, log, readyUrl, probes, b.start());
    }

    Path volume() {
        return Path.of(env.get("PARTITA_DATA_DIR"));
    }

    /** Waits until the node's readiness probe ({@code /ready}) answers 200. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("partita-" + ordinal + " exited with " + process.exitValue() + "\n"
                        + describe());
            }
            try {
                HttpResponse<String> r = probes.send(HttpRequest.newBuilder(URI.create(readyUrl))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body().strip();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("partita-" + ordinal + " not ready within " + timeout.toSeconds() + " s (" + last
                + ")\n" + describe());
    }

    /** Runs the preStop hook as the kubelet does, in the pod's environment. */
    StatefulSetProcessTest.Hook preStop() throws IOException, InterruptedException {
        return exec("bash", preStop.toString());
    }

    /** Runs a command in the pod's environment, as {@code kubectl exec} does. */
    StatefulSetProcessTest.Hook exec(String... command) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().putAll(env);
        Process p = b.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new StatefulSetProcessTest.Hook(p.exitValue(), new String(out));
    }

    /** SIGTERM, as the kubelet sends after the hook; returns the exit code. */
    int terminate() throws InterruptedException {
        // Taken before the node exits: then its children (the entrypoint's background loops, which a container's
        // end would take with it) are no longer its descendants.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("partita-" + ordinal + " did not stop within 60 s of SIGTERM\n" + describe());
        }
        children.forEach(ProcessHandle::destroyForcibly);
        return process.exitValue();
    }

    /** Kills the node and whatever the entrypoint left running. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String describe() {
        String text;
        try {
            text = Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            text = "(cannot read " + log + ": " + e + ")";
        }
        return "---- partita-" + ordinal + " (" + log + "), last lines:\n" + StatefulSetProcessTest.tail(text, 60);
    }
}
