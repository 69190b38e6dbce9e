package io.partita.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.partita.protocol.testing.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node from the tarball under the file-system sandbox deploy/systemd/partita.service asks systemd for, rebuilt
 * with a private mount namespace ({@code unshare -m}) since the tests cannot run systemd itself: the whole file
 * system read-only (ProtectSystem=strict) except the state directory (StateDirectory=partita), a private, empty,
 * writable /tmp (PrivateTmp=true: RocksDB and lz4 extract their JNI libraries there), home directories hidden
 * (ProtectHome=true, when the JDK does not live there), and the unit's own PARTITA_JAVA_OPTS. It must start, serve a
 * put and a get, and stop with exit code 0 on SIGTERM, having written nothing outside the state directory.
 *
 * <p>Inside the namespace the installed paths are stood in for under /var/tmp (mounted over with this test's
 * directory): /var/tmp/opt = /opt, /var/tmp/etc = /etc/partita, /var/tmp/state = /var/lib/partita. Skipped where
 * mount namespaces are not available (no unshare, not root and no user namespaces).
 */
class HardenedServiceProcessTest {

    @TempDir
    Path tmp;

    private Process node;

    @AfterEach
    void stopNode() throws InterruptedException {
        if (node != null && node.isAlive()) {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void nodeRunsUnderTheUnitsSandbox() throws Exception {
        Path sandbox = Files.createDirectory(tmp.resolve("sandbox"));
        Path opt = Files.createDirectories(sandbox.resolve("opt"));
        Path state = Files.createDirectories(sandbox.resolve("state"));
        Path etc = Files.createDirectories(sandbox.resolve("etc"));
        Path script = tmp.resolve("sandbox.sh");
        Files.writeString(script, sandboxScript(sandbox));
        List<String> unshare = unshareCommand(script);

        Path root = TarballProcessTest.unpackTarball(opt);
        int[] ports = {TestPorts.free(), TestPorts.free(), TestPorts.free()};
        String yaml = Files.readString(root.resolve("conf/node.yaml"));
        yaml = TarballProcessTest.replaceLine(yaml, "  client-port: 7300", "  client-port: " + ports[0]);
        yaml = TarballProcessTest.replaceLine(yaml, "  raft-port: 7301", "  raft-port: " + ports[1]);
        yaml = TarballProcessTest.replaceLine(yaml, "  admin-port: 7302", "  admin-port: " + ports[2]);
        yaml = TarballProcessTest.replaceLine(yaml, "data-dir: ./data", "data-dir: /var/tmp/state/data");
        Files.writeString(etc.resolve("node.yaml"), yaml);

        List<String> command = new ArrayList<>(unshare);
        command.addAll(List.of("run", "/var/tmp/opt/" + root.getFileName() + "/bin/partita", javaOptsOfTheUnit()));
        Path log = tmp.resolve("node.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(TarballProcessTest.cleanEnvironment(tmp));
        node = builder.start();
        try {
            TarballProcessTest.awaitReady(node, ports[2]);
            String hosts = "127.0.0.1:" + ports[0];
            // The client runs outside the sandbox, from the same unpacked tarball.
            TarballProcessTest.Result put = TarballProcessTest.run(List.of(root.resolve("bin/partita").toString(),
                    "put", "--hosts", hosts, "test", "demo", "k1", "a=1"), tmp, TarballProcessTest.cleanEnvironment(tmp));
            assertEquals(0, put.exitCode(), "put: " + put.output());
            TarballProcessTest.Result get = TarballProcessTest.run(List.of(root.resolve("bin/partita").toString(),
                    "get", "--hosts", hosts, "test", "demo", "k1"), tmp, TarballProcessTest.cleanEnvironment(tmp));
            assertEquals(0, get.exitCode(), "get: " + get.output());
            assertTrue(Pattern.compile("\"a\"\\s*:\\s*1\\b").matcher(get.output()).find(), "get: " + get.output());

            node.destroy(); // SIGTERM, as systemctl stop (KillSignal=SIGTERM)
            assertTrue(node.waitFor(TarballProcessTest.STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                    "no exit within " + TarballProcessTest.STOP_TIMEOUT + " of SIGTERM");
            assertEquals(0, node.exitValue(), "exit code after SIGTERM");
            assertTrue(Files.isDirectory(state.resolve("data")), "the node wrote its data under the state directory");
            try (Stream<Path> written = Files.list(sandbox)) {
                assertEquals(List.of("etc", "opt", "state"), written.map(p -> p.getFileName().toString()).sorted()
                        .collect(java.util.stream.Collectors.toList()), "nothing new next to the state directory");
            }
        } catch (Throwable t) {
            throw new AssertionError(t.getMessage() + "\n--- node output ---\n" + Files.readString(log), t);
        }
    }

    /** The unit's PARTITA_JAVA_OPTS (Environment="PARTITA_JAVA_OPTS=..."), as systemd would pass it. */
    private static String javaOptsOfTheUnit() throws Exception {
        Path unit = Path.of(System.getProperty("partita.repo", "..")).resolve("deploy/systemd/partita.service");
        Matcher matcher = Pattern.compile("(?m)^Environment=\"PARTITA_JAVA_OPTS=([^\"]*)\"$")
                .matcher(Files.readString(unit));
        assertTrue(matcher.find(), "the unit sets Environment=\"PARTITA_JAVA_OPTS=...\"");
        return matcher.group(1);
    }

    /**
     * unshare with a private mount namespace: as root, or else mapped to root in a new user namespace. The sandbox
     * script run in 'probe' mode first; the test is skipped (with the reason) if neither works here.
     */
    private List<String> unshareCommand(Path script) throws Exception {
        Path unshare = Stream.of("/usr/bin/unshare", "/bin/unshare").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        assumeTrue(unshare != null, "unshare (util-linux) is not installed: the sandboxed run was not checked");
        List<String> tried = new ArrayList<>();
        for (List<String> flags : List.of(List.of("-m"), List.of("-r", "-m"))) {
            List<String> command = new ArrayList<>();
            command.add(unshare.toString());
            command.addAll(flags);
            command.addAll(List.of("--propagation", "private", "/bin/bash", script.toString()));
            List<String> probe = new ArrayList<>(command);
            probe.add("probe");
            TarballProcessTest.Result result = TarballProcessTest.run(probe, tmp, Map.of("PATH", "/usr/bin:/bin"));
            if (result.exitCode() == 0) {
                return command;
            }
            tried.add(String.join(" ", flags) + ": exit " + result.exitCode() + ": " + result.output().strip());
        }
        assumeTrue(false, "no private mount namespace here, the sandboxed run was not checked; " + tried);
        throw new AssertionError("unreachable");
    }

    /**
     * The sandbox: {@code bash SCRIPT probe} sets it up and checks it; {@code bash SCRIPT run LAUNCHER JAVA_OPTS}
     * sets it up and execs the node in it (so SIGTERM reaches the JVM itself, as under systemd).
     */
    private static String sandboxScript(Path sandbox) {
        String javaHome = System.getProperty("java.home");
        boolean javaInHome = javaHome.startsWith("/home/") || javaHome.startsWith("/root/");
        StringBuilder s = new StringBuilder();
        s.append("set -eu\n");
        s.append("SANDBOX='").append(sandbox).append("'\n");
        s.append("mount --bind \"$SANDBOX\" /var/tmp\n");
        // ProtectSystem=strict: everything read-only ...
        s.append("mount -o remount,bind,ro /\n");
        s.append("mount -o remount,bind,ro /var/tmp\n");
        // ... except the StateDirectory.
        s.append("mount --bind /var/tmp/state /var/tmp/state\n");
        s.append("mount -o remount,bind,rw /var/tmp/state\n");
        // PrivateTmp=true: an empty /tmp of its own, gone with the namespace.
        s.append("mount -t tmpfs -o mode=1777 tmpfs /tmp\n");
        if (!javaInHome) {
            // ProtectHome=true (skipped when the JDK itself lives under a home directory).
            s.append("for d in /home /root; do [ -d \"$d\" ] && mount -t tmpfs -o ro,mode=0755 tmpfs \"$d\"; done\n");
        }
        s.append("if touch /var/tmp/probe-ro 2>/dev/null || touch /usr/probe-ro 2>/dev/null; then\n");
        s.append("  echo 'sandbox: the file system is still writable' >&2; exit 90\n");
        s.append("fi\n");
        s.append("touch /var/tmp/state/probe-rw && rm /var/tmp/state/probe-rw\n");
        s.append("touch /tmp/probe-rw && rm /tmp/probe-rw\n");
        s.append("if [ \"$1\" = probe ]; then exit 0; fi\n");
        s.append("cd /var/tmp/state\n");
        s.append("exec env -i PATH=\"$PATH\" HOME=/var/tmp/state LANG=C.UTF-8 PARTITA_JAVA_OPTS=\"$3\" \"$2\" server")
                .append(" --conf /var/tmp/etc/node.yaml\n");
        return s.toString();
    }
}
