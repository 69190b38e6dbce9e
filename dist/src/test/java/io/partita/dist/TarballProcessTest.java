package io.partita.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.partita.protocol.testing.TestPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball as an operator uses it: unpacked into an empty directory, its conf/node.yaml given free
 * loopback ports and a data directory, {@code bin/partita server} started from the unpacked directory with a clean
 * environment (no Maven, no source tree), a record written and read back with {@code bin/partita put/get}, then the
 * node stopped with SIGTERM, which must end it with exit code 0 (what systemd sees on {@code systemctl stop}).
 */
class TarballProcessTest {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private Path root;
    private Process node;
    private Path nodeLog;

    @BeforeEach
    void unpack() throws Exception {
        root = unpackTarball(Files.createDirectory(tmp.resolve("unpacked")));
    }

    /** Unpacks the tarball into {@code into} (empty) with tar; returns its single top directory partita-VERSION. */
    static Path unpackTarball(Path into) throws Exception {
        Path tarball = Path.of(System.getProperty("partita.tarball", "target/partita.tar.gz"));
        String version = System.getProperty("partita.version");
        assertTrue(Files.isRegularFile(tarball), "no tarball at " + tarball + " (run the package phase first)");
        Result tar = run(List.of("tar", "-xzf", tarball.toString(), "-C", into.toString()), into,
                Map.of("PATH", "/usr/bin:/bin"));
        assertEquals(0, tar.exitCode, "tar failed: " + tar.output);
        try (Stream<Path> top = Files.list(into)) {
            assertEquals(List.of("partita-" + version),
                    top.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
                    "the tarball must hold exactly one top directory partita-<version>/");
        }
        return into.resolve("partita-" + version);
    }

    @AfterEach
    void stopNode() throws InterruptedException {
        if (node != null && node.isAlive()) {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void layoutHoldsLauncherEveryRuntimeJarConfAndDeployFiles() throws IOException {
        Path launcher = root.resolve("bin/partita");
        assertTrue(Files.isRegularFile(launcher) && Files.isExecutable(launcher), "bin/partita executable");
        for (String file : List.of("conf/node.yaml", "conf/README.md", "README.md", "deploy/systemd/partita.service",
                "deploy/systemd/partita.sysusers", "deploy/grafana/partita.json", "docs/deployment.md")) {
            assertTrue(Files.isRegularFile(root.resolve(file)), file + " missing from the tarball");
        }
        // The shipped files are the repository's, byte for byte.
        Path repo = Path.of(System.getProperty("partita.repo", ".."));
        for (String file : List.of("bin/partita", "conf/node.yaml", "deploy/systemd/partita.service")) {
            assertEquals(Files.readString(repo.resolve(file)), Files.readString(root.resolve(file)), file);
        }
        // Every script under deploy/ keeps its executable bit.
        try (Stream<Path> files = Files.walk(root.resolve("deploy"))) {
            for (Path script : files.filter(p -> p.toString().endsWith(".sh")).collect(Collectors.toList())) {
                assertTrue(Files.getPosixFilePermissions(script).contains(PosixFilePermission.OWNER_EXECUTE),
                        script + " is not executable");
            }
        }

        // lib/ = exactly the runtime class path Maven resolves for partita-tools (written by the dependency plugin).
        String classpath = Files.readString(Path.of(System.getProperty("partita.runtime.classpath"))).strip();
        TreeSet<String> expected = Arrays.stream(classpath.split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        TreeSet<String> shipped;
        try (Stream<Path> lib = Files.list(root.resolve("lib"))) {
            shipped = lib.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertTrue(expected.stream().anyMatch(name -> name.startsWith("partita-tools-")), expected.toString());
        assertTrue(expected.stream().anyMatch(name -> name.startsWith("rocksdbjni-")), expected.toString());
        assertEquals(expected, shipped, "lib/ must hold every runtime jar and nothing else");
        assertFalse(shipped.stream().anyMatch(name -> name.startsWith("partita-bench")), "bench is not shipped");
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void unpackedTarballRunsANodeThatStopsCleanlyOnSigterm() throws Exception {
        int[] ports = {TestPorts.free(), TestPorts.free(), TestPorts.free()};
        int clientPort = ports[0];
        int raftPort = ports[1];
        int adminPort = ports[2];
        Path dataDir = tmp.resolve("node-data");
        Path conf = root.resolve("conf/node.yaml");
        String yaml = Files.readString(conf);
        yaml = replaceLine(yaml, "  client-port: 7300", "  client-port: " + clientPort);
        yaml = replaceLine(yaml, "  raft-port: 7301", "  raft-port: " + raftPort);
        yaml = replaceLine(yaml, "  admin-port: 7302", "  admin-port: " + adminPort);
        yaml = replaceLine(yaml, "data-dir: ./data", "data-dir: " + dataDir);
        Files.writeString(conf, yaml);

        nodeLog = tmp.resolve("node.log");
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/partita").toString(), "server", "--conf",
                "conf/node.yaml").directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(nodeLog.toFile());
        builder.environment().clear();
        builder.environment().putAll(cleanEnvironment());
        // RocksDB extracts its JNI library into java.io.tmpdir at every start; the node unlinks the copy once loaded
        // and says so at DEBUG, naming the copy: that line shows PARTITA_JAVA_OPTS reached the node's JVM.
        Path javaTmp = Files.createDirectory(tmp.resolve("java-tmp"));
        builder.environment().put("PARTITA_JAVA_OPTS", "-Djava.io.tmpdir=" + javaTmp + " -Xmx512m"
                + " -Dpartita.log.level=DEBUG");
        node = builder.start();
        try {
            awaitReady(node, adminPort);
            String hosts = "127.0.0.1:" + clientPort;
            Result put = cli("put", "--hosts", hosts, "test", "demo", "k1", "a=1");
            assertEquals(0, put.exitCode, "put: " + put.output);
            assertTrue(put.output.contains("\"generation\""), "put: " + put.output);
            Result get = cli("get", "--hosts", hosts, "test", "demo", "k1");
            assertEquals(0, get.exitCode, "get: " + get.output);
            assertTrue(Pattern.compile("\"a\"\\s*:\\s*1\\b").matcher(get.output).find(), "get: " + get.output);

            node.destroy(); // SIGTERM
            assertTrue(node.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                    "the node did not exit within " + STOP_TIMEOUT + " of SIGTERM");
            assertEquals(0, node.exitValue(), "exit code after SIGTERM");
            assertTrue(nodeOutput().contains("Unlinked RocksDB's extracted JNI library " + javaTmp),
                    "PARTITA_JAVA_OPTS (-Djava.io.tmpdir, -Dpartita.log.level) did not reach the node's JVM");
            try (Stream<Path> extracted = Files.list(javaTmp)) {
                assertTrue(extracted.noneMatch(p -> p.getFileName().toString().startsWith("librocksdbjni")),
                        "the node left RocksDB's extracted library behind");
            }
        } catch (Throwable t) {
            throw new AssertionError(t.getMessage() + "\n--- node output (" + nodeLog + ") ---\n" + nodeOutput(), t);
        }
    }

    @Test
    void benchIsRefusedInTheTarballLayout() throws Exception {
        Result bench = run(List.of(root.resolve("bin/partita").toString(), "bench", "--help"), root,
                cleanEnvironment());
        assertEquals(2, bench.exitCode, bench.output);
        assertTrue(bench.output.contains("ships only with the source tree"), bench.output);
    }

    @Test
    void classpathOverrideIsUsedAsIsWithoutBuilding() throws Exception {
        // A launcher with neither lib/ nor a source tree next to it runs only with PARTITA_CLASSPATH.
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere/bin"));
        Path launcher = Files.copy(root.resolve("bin/partita"), elsewhere.resolve("partita"));
        Result without = run(List.of(launcher.toString(), "--version"), tmp, cleanEnvironment());
        assertEquals(1, without.exitCode, without.output);
        assertTrue(without.output.contains("PARTITA_CLASSPATH"), without.output);

        Map<String, String> env = new java.util.HashMap<>(cleanEnvironment());
        env.put("PARTITA_CLASSPATH", root.resolve("lib") + "/*");
        Result with = run(List.of(launcher.toString(), "--version"), tmp, env);
        assertEquals(0, with.exitCode, with.output);
        assertTrue(with.output.contains(System.getProperty("partita.version")), with.output);
    }

    private Map<String, String> cleanEnvironment() {
        return cleanEnvironment(tmp);
    }

    /** Only what a login shell on a server would have: a PATH with java, HOME, a locale. No Maven, no JAVA_HOME. */
    static Map<String, String> cleanEnvironment(Path home) {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin");
        return Map.of("PATH", javaBin + ":/usr/bin:/bin", "HOME", home.toString(), "LANG", "C.UTF-8");
    }

    private Result cli(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("bin/partita").toString());
        command.addAll(List.of(args));
        return run(command, root, cleanEnvironment());
    }

    static void awaitReady(Process node, int adminPort) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                fail("the node exited with code " + node.exitValue() + " before it was ready");
            }
            try {
                last = http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // retry
            }
            Thread.sleep(200);
        }
        fail("/ready did not answer 200 within " + READY_TIMEOUT + " (last status " + last + ")");
    }

    private String nodeOutput() {
        try {
            return nodeLog == null || !Files.exists(nodeLog) ? "(none)" : Files.readString(nodeLog);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Replaces the one line equal to {@code line}; fails if conf/node.yaml no longer has it exactly once. */
    static String replaceLine(String text, String line, String replacement) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(line) + "$").matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        assertEquals(1, count, "conf/node.yaml should have the line '" + line + "' exactly once");
        return text.replaceFirst("(?m)^" + Pattern.quote(line) + "$", Matcher.quoteReplacement(replacement));
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a short command to completion (stdout and stderr together, through a file: no pipe to block on). */
    static Result run(List<String> command, Path cwd, Map<String, String> env) throws Exception {
        Path output = Files.createTempFile("partita-cmd", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail(command + " did not finish within " + CLI_TIMEOUT + ": " + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(output);
        }
    }
}
