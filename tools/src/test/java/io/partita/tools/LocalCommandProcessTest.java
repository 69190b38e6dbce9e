package io.partita.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partita.protocol.testing.TestPorts;
import io.partita.tools.CliRunner.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code partita local} as a real process: start, write, SIGTERM, restart on the same directory, read back. */
class LocalCommandProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Every process this test started, killed in {@link #killLeftovers()} if still alive. */
    private final List<ProcessHandle> started = new ArrayList<>();

    @TempDir
    Path outputs;

    /** A running {@code partita local} process; its stdout and stderr go to a file (read while it runs). */
    private static final class Local {
        final Process process;
        final Path output;

        Local(Process process, Path output) {
            this.process = process;
            this.output = output;
        }

        String output() {
            try {
                return Files.readString(output, StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "(cannot read " + output + ": " + e + ")";
            }
        }

        boolean awaitLine(String text, long timeoutMs) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (!output().contains(text)) {
                if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                    return output().contains(text);
                }
                Thread.sleep(100);
            }
            return true;
        }
    }

    private Local startLocal(int base, String... more) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output = Files.createTempFile(outputs, "local", ".out");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                PartitaCli.class.getName(), "local", "--dir", dir.toString(), "--port", Integer.toString(base)));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        started.add(p.toHandle());
        return new Local(p, output);
    }

    private long awaitReady(Local local) throws Exception {
        if (!local.awaitLine("Press Ctrl-C to stop", 90_000)) {
            fail("partita local did not become ready within 90 s; output:\n" + local.output() + "\nnode.log tail:\n"
                    + String.join("\n", io.partita.tools.cli.LocalNode.tailForTests(dir.resolve("n1/node.log"))));
        }
        long nodePid = Long.parseLong(Files.readString(dir.resolve("n1/partita.pid")).trim());
        started.add(ProcessHandle.of(nodePid).orElseThrow(() -> new AssertionError("node process not found")));
        assertTrue(local.output().contains("pid:       " + nodePid), local.output());
        return nodePid;
    }

    private void stopAndCheck(Local local, long nodePid) throws Exception {
        local.process.destroy(); // SIGTERM
        assertTrue(local.process.waitFor(40, TimeUnit.SECONDS), "local exits within 40 s after SIGTERM");
        assertTrue(local.output().contains("stopped"), "exit " + local.process.exitValue() + ":\n" + local.output());
        assertFalse(Files.exists(dir.resolve("n1/partita.pid")), "pid file removed");
        assertFalse(ProcessHandle.of(nodePid).map(ProcessHandle::isAlive).orElse(false), "node process gone");
    }

    @AfterEach
    void killLeftovers() throws Exception {
        for (ProcessHandle h : started) {
            if (h.isAlive()) {
                h.destroyForcibly();
                h.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Timeout(300)
    void startStopRestartKeepsData() throws Exception {
        int base = TestPorts.freeBase();
        String hosts = "127.0.0.1:" + base;

        Local first = startLocal(base);
        long nodePid = awaitReady(first);
        String banner = first.output();
        assertTrue(banner.contains("bin/partita put --hosts " + hosts + " test demo alice name=Alice age=30"),
                banner);
        assertTrue(banner.contains("bin/partita get --hosts " + hosts + " test demo alice"), banner);
        assertTrue(banner.contains("PartitaClient.connect(\"" + hosts + "\")"), banner);
        assertTrue(banner.contains(dir.resolve("n1").toString()), banner);
        assertTrue(Files.exists(dir.resolve("n1/node.yaml")), "config written");
        assertTrue(Files.exists(dir.resolve("n1/node.log")), "log written");
        String config = Files.readString(dir.resolve("n1/node.yaml"));

        Result put = CliRunner.record(hosts, "put", "test", "demo", "alice", "name=Alice", "age=30");
        assertEquals(0, put.exitCode(), put.toString());

        // A second local on the same directory refuses to start.
        Result again = CliRunner.run("local", "--dir", dir.toString(), "--port", Integer.toString(base));
        assertEquals(1, again.exitCode(), again.toString());
        assertTrue(again.err().contains("a node is already running from " + dir + " (pid " + nodePid
                + "); stop it first"), again.toString());

        stopAndCheck(first, nodePid);

        Result secure = CliRunner.run("local", "--dir", dir.toString(), "--port", Integer.toString(base), "--secure");
        assertEquals(2, secure.exitCode(), secure.toString());
        assertTrue(secure.err().contains("made without --secure"), secure.toString());

        Local second = startLocal(base);
        long secondPid = awaitReady(second);
        assertEquals(config, Files.readString(dir.resolve("n1/node.yaml")), "node.yaml reused as is");
        Result get = CliRunner.record(hosts, "get", "test", "demo", "alice");
        assertEquals(0, get.exitCode(), get.toString());
        JsonNode rec = JSON.readTree(get.out());
        assertEquals("Alice", rec.get("bins").get("name").asText());
        assertEquals(30, rec.get("bins").get("age").asInt());
        stopAndCheck(second, secondPid);
    }

    @Test
    @Timeout(300)
    void secureModeServesOnlyClientsWithTheLocalCertificates() throws Exception {
        int base = TestPorts.freeBase();
        String hosts = "127.0.0.1:" + base;
        Path tls = dir.resolve("tls");

        Local first = startLocal(base, "--secure");
        long nodePid = awaitReady(first);
        String banner = first.output();
        String export = "export PARTITA_TLS_CA=" + tls.resolve("ca.crt") + " PARTITA_TLS_CERT="
                + tls.resolve("client.crt") + " PARTITA_TLS_KEY=" + tls.resolve("client.key");
        assertTrue(banner.contains(export), banner);
        assertTrue(banner.contains("(admin https://127.0.0.1:" + (base + 2) + "/ready)"), banner);
        Map<String, String> tlsOnly = Map.of("PARTITA_TLS_CA", tls.resolve("ca.crt").toString(),
                "PARTITA_TLS_CERT", tls.resolve("client.crt").toString(),
                "PARTITA_TLS_KEY", tls.resolve("client.key").toString());
        java.util.regex.Matcher password = java.util.regex.Pattern.compile("export PARTITA_USER=admin "
                + "PARTITA_PASSWORD=(\\S+)").matcher(banner);
        assertTrue(password.find(), banner);
        Map<String, String> env = new java.util.HashMap<>(tlsOnly);
        env.put("PARTITA_USER", "admin");
        env.put("PARTITA_PASSWORD", password.group(1));

        Cli put = cli(env, "put", "--hosts", hosts, "test", "demo", "alice", "name=Alice");
        assertEquals(0, put.exitCode(), put.output());
        // Users and roles are on: a certificate alone is not enough, and a user gets what its roles allow.
        Cli noUser = cli(tlsOnly, "get", "--hosts", hosts, "test", "demo", "alice");
        assertEquals(5, noUser.exitCode(), noUser.output());
        assertTrue(noUser.output().contains("NOT_AUTHENTICATED"), noUser.output());
        Cli create = cliWithInput(env, "pw-bob\n", "user", "create", "bob", "read:test:demo", "--hosts", hosts);
        assertEquals(0, create.exitCode(), create.output());
        Map<String, String> bob = new java.util.HashMap<>(tlsOnly);
        bob.put("PARTITA_USER", "bob");
        bob.put("PARTITA_PASSWORD", "pw-bob");
        assertEquals(0, cli(bob, "get", "--hosts", hosts, "test", "demo", "alice").exitCode());
        Cli bobPut = cli(bob, "put", "--hosts", hosts, "test", "demo", "alice", "name=Bob");
        assertEquals(5, bobPut.exitCode(), bobPut.output());
        assertTrue(bobPut.output().contains("ROLE_VIOLATION"), bobPut.output());
        bob.put("PARTITA_PASSWORD", "wrong");
        Cli wrong = cli(bob, "get", "--hosts", hosts, "test", "demo", "alice");
        assertEquals(5, wrong.exitCode(), wrong.output());
        assertTrue(wrong.output().contains("INVALID_CREDENTIAL"), wrong.output());
        Cli users = cli(env, "user", "list", "--hosts", hosts);
        assertTrue(users.output().contains("bob    read:test:demo"), users.output());
        assertTrue(cli(env, "role", "list", "--hosts", hosts).output().contains("user-admin"));
        Cli plaintext = cli(Map.of(), "get", "--hosts", hosts, "test", "demo", "alice");
        assertFalse(plaintext.exitCode() == 0, plaintext.output());
        assertTrue(plaintext.output().contains("as a node with TLS does to a plaintext client"), plaintext.output());
        Cli anonymous = cli(Map.of("PARTITA_TLS_CA", tls.resolve("ca.crt").toString()), "get", "--hosts", hosts,
                "test", "demo", "alice");
        assertTrue(anonymous.output().contains("the node requires a client certificate"), anonymous.output());
        stopAndCheck(first, nodePid);

        // A restart without --secure keeps the cluster as it was made: TLS on.
        Local second = startLocal(base);
        long secondPid = awaitReady(second);
        Cli get = cli(env, "get", "--hosts", hosts, "test", "demo", "alice");
        assertEquals(0, get.exitCode(), get.output());
        assertEquals("Alice", JSON.readTree(get.output()).get("bins").get("name").asText());
        stopAndCheck(second, secondPid);
    }

    private record Cli(int exitCode, String output) {
    }

    /** A {@code partita} command as its own process with exactly {@code env}'s TLS and user variables. */
    private Cli cli(Map<String, String> env, String... args) throws Exception {
        return cliWithInput(env, "", args);
    }

    /** As {@link #cli(Map, String...)}, with {@code stdin} as the command's input. */
    private Cli cliWithInput(Map<String, String> env, String stdin, String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                PartitaCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().keySet().removeIf(k -> k.startsWith("PARTITA_TLS_") || k.equals("PARTITA_USER")
                || k.equals("PARTITA_PASSWORD"));
        b.environment().putAll(env);
        Process p = b.start();
        started.add(p.toHandle());
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "partita " + String.join(" ", args) + " did not finish");
        return new Cli(p.exitValue(), output);
    }
}
