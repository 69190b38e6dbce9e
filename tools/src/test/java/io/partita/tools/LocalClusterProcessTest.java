package io.partita.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partita.protocol.testing.TestPorts;
import io.partita.server.config.ConfigLoader;
import io.partita.server.config.NodeConfig;
import io.partita.tools.CliRunner.Result;
import io.partita.tools.cli.LocalNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partita local --nodes 3} as a real process: the cluster forms, {@code status} sees it healthy, records go
 * through one node and come back from another, a node killed with SIGKILL is reported while the other two keep
 * serving, and SIGTERM stops what is left. And a stopped local cluster resized with {@code --nodes}: 3 to 4 (the new
 * node joins by itself and receives replicas) and back to 3 (the node leaves, is stopped and its directory removed),
 * keeping its records.
 */
class LocalClusterProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Time for the survivors to elect new leaders (election timeout 1-2 s) and for the client to follow. */
    private static final Duration FAILOVER_BUDGET = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @TempDir
    Path outputs;

    /** Every process this test started, killed in {@link #killLeftovers()} if still alive. */
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws Exception {
        for (ProcessHandle h : started) {
            if (h.isAlive()) {
                h.destroyForcibly();
                h.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process startLocal(Path output, String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                PartitaCli.class.getName(), "local"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        started.add(p.toHandle());
        return p;
    }

    private static String read(Path output) {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    private static boolean awaitText(Process p, Path output, String text, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!read(output).contains(text)) {
            if (System.currentTimeMillis() > deadline || !p.isAlive()) {
                return read(output).contains(text);
            }
            Thread.sleep(100);
        }
        return true;
    }

    private String diagnostics(Path output) {
        StringBuilder sb = new StringBuilder("partita local output:\n").append(read(output));
        for (int i = 1; i <= 4; i++) {
            sb.append("\nn").append(i).append("/node.log tail:\n")
                    .append(String.join("\n", LocalNode.tailForTests(dir.resolve("n" + i + "/node.log"))));
        }
        return sb.toString();
    }

    /** Runs {@code command} until it exits 0 or {@code within} passes; returns the last result. */
    private static Result untilOk(Duration within, Supplier<Result> command) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        Result r = command.get();
        int attempts = 1;
        while (r.exitCode() != 0 && System.nanoTime() < deadline) {
            System.err.println("NOTE: attempt " + attempts + " failed, retrying: " + r.err().strip());
            Thread.sleep(500);
            r = command.get();
            attempts++;
        }
        if (attempts > 1) {
            System.err.println("NOTE: " + attempts + " attempts in " + (System.nanoTime() - start) / 1_000_000
                    + " ms, last exit " + r.exitCode());
        }
        return r;
    }

    /**
     * A 3-node cluster on ports from {@code base}: the banner, the config, health, a record through one node read
     * through another, SIGKILL of n1 reported while the others keep serving, and SIGTERM stopping the rest. The
     * cluster's directory is then grown and shrunk ({@link #threeNodesSurviveTheLossOfANodeThenGrowToFourAndBack}).
     */
    private void threeNodeClusterSurvivesTheLossOfANode(int base) throws Exception {
        List<String> addresses = List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 3), "127.0.0.1:" + (base + 6));
        String hosts = String.join(",", addresses);
        Path output = Files.createTempFile(outputs, "local", ".out");
        Process local = startLocal(output, "--nodes", "3", "--dir", dir.toString(), "--port", Integer.toString(base));

        if (!awaitText(local, output, "Press Ctrl-C to stop all nodes.", 300_000)) {
            fail("partita local --nodes 3 did not become ready within 300 s\n" + diagnostics(output));
        }
        long[] pids = new long[3];
        for (int i = 0; i < 3; i++) {
            pids[i] = Long.parseLong(Files.readString(dir.resolve("n" + (i + 1) + "/partita.pid")).trim());
            started.add(ProcessHandle.of(pids[i]).orElseThrow(() -> new AssertionError("node process not found")));
        }

        // The start-up output and the banner.
        String banner = read(output);
        assertTrue(banner.startsWith("Starting 3 nodes in " + dir + ":\n"), banner);
        for (int i = 0; i < 3; i++) {
            assertTrue(banner.contains("  n" + (i + 1) + "  pid " + pids[i] + "  client " + addresses.get(i) + "\n"),
                    banner);
        }
        assertTrue(banner.contains("Creating the cluster (first start): partita cluster init --hosts " + hosts),
                banner);
        assertTrue(banner.contains("  Created cluster "), banner);
        assertTrue(banner.contains(": 3 nodes, 6 groups, replication factor 3."), banner);
        assertTrue(banner.contains("Partita local cluster of 3 nodes is ready (cluster "), banner);
        for (int i = 0; i < 3; i++) {
            int client = base + 3 * i;
            assertTrue(banner.matches("(?s).*\n  n" + (i + 1) + " +" + pids[i] + " +127\\.0\\.0\\.1:" + client
                    + " +http://127\\.0\\.0\\.1:" + (client + 2) + "/ready +" + dir.resolve("n" + (i + 1))
                    .resolve("node.log").toString().replace(".", "\\.") + "\n.*"), banner);
        }
        assertTrue(banner.contains("bin/partita status --hosts " + hosts + "\n"), banner);
        assertTrue(banner.contains("bin/partita bench --hosts " + hosts + " --duration 30s\n"), banner);
        assertTrue(banner.contains("bin/partita put --hosts " + hosts + " test demo alice name=Alice age=30"), banner);

        // Every node lists the others as seeds and keeps three copies.
        NodeConfig n2 = ConfigLoader.load(dir.resolve("n2/node.yaml"));
        assertEquals(List.of(addresses.get(0), addresses.get(2)), n2.seeds());
        assertEquals(3, n2.namespace("test").replicationFactor());

        // Healthy.
        Result status = untilOk(Duration.ofSeconds(20), () -> CliRunner.run("status", "--hosts", addresses.get(2)));
        assertEquals(0, status.exitCode(), status + "\n" + diagnostics(output));
        assertTrue(status.out().contains("Health: OK, every node is up and every group has a leader"), status.out());
        assertTrue(status.out().contains("Groups with a leader: 6/6"), status.out());
        JsonNode healthy = JSON.readTree(CliRunner.run("status", "--json", "--hosts", hosts).out());
        int led = 0;
        for (JsonNode n : healthy.get("nodes")) {
            assertEquals("up", n.get("state").asText(), healthy.toString());
            assertEquals(6, n.get("groups_hosted").asInt(), healthy.toString());
            led += n.get("groups_led").asInt();
        }
        assertEquals(6, led, healthy.toString());

        // A record written through n2 reads back through n3.
        Result put = untilOk(Duration.ofSeconds(20), () -> CliRunner.record(addresses.get(1), "put", "test", "demo",
                "alice", "name=Alice", "age=30"));
        assertEquals(0, put.exitCode(), put.toString());
        Result get = untilOk(Duration.ofSeconds(20), () -> CliRunner.record(addresses.get(2), "get", "test", "demo",
                "alice"));
        assertEquals(0, get.exitCode(), get.toString());
        assertEquals("Alice", JSON.readTree(get.out()).get("bins").get("name").asText());

        // SIGKILL n1: the metadata group's first member and preferred leader of 2 of the 6 groups (auto).
        ProcessHandle n1 = ProcessHandle.of(pids[0]).orElseThrow();
        assertTrue(n1.destroyForcibly());
        n1.onExit().get(10, TimeUnit.SECONDS);
        assertTrue(awaitText(local, output, "partita local: node n1 (pid " + pids[0] + ") exited with code 137; "
                + "last lines of " + dir.resolve("n1/node.log") + ":", 20_000), diagnostics(output));
        assertTrue(awaitText(local, output, "partita local: 2 of 3 nodes keep running (n2, n3)", 5_000),
                diagnostics(output));
        assertTrue(local.isAlive(), "local keeps running\n" + diagnostics(output));

        Result degraded = CliRunner.run("status", "--hosts", hosts);
        assertEquals(1, degraded.exitCode(), degraded.toString());
        assertTrue(degraded.out().contains("Health: DEGRADED, 1 of 3 nodes down (n1)"), degraded.out());
        assertTrue(degraded.out().matches("(?s).*\n  n1 +" + addresses.get(0).replace(".", "\\.") + " +down +- +- +-"
                + " +member\n.*"), degraded.out());
        assertTrue(degraded.out().contains("\n  n1  down (UNAVAILABLE: Connection refused): replica of 6 groups "
                + "(0-5)\n"), degraded.out());

        // The survivors elect leaders for n1's groups.
        long deadline = System.nanoTime() + FAILOVER_BUDGET.toNanos();
        JsonNode after = JSON.readTree(CliRunner.run("status", "--json", "--hosts", hosts).out());
        while (after.get("groups_with_leader").asInt() < 6 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            after = JSON.readTree(CliRunner.run("status", "--json", "--hosts", hosts).out());
        }
        assertEquals(6, after.get("groups_with_leader").asInt(), after.toString());
        assertEquals("down", after.get("nodes").get(0).get("state").asText());
        assertEquals(6, after.get("nodes").get(1).get("groups_led").asInt()
                + after.get("nodes").get(2).get("groups_led").asInt(), after.toString());
        assertEquals(1, CliRunner.run("status", "--hosts", hosts).exitCode(), "still degraded");

        // Records stay readable and writable (through any host; n1's address is refused).
        Result getAfter = untilOk(FAILOVER_BUDGET, () -> CliRunner.record(hosts, "get", "test", "demo", "alice"));
        assertEquals(0, getAfter.exitCode(), "read after failover: " + getAfter);
        assertEquals(30, JSON.readTree(getAfter.out()).get("bins").get("age").asInt());
        for (String key : new String[] {"bob", "carol", "dave", "erin", "frank"}) {
            Result w = untilOk(FAILOVER_BUDGET, () -> CliRunner.record(hosts, "put", "test", "demo", key,
                    "name=" + key));
            assertEquals(0, w.exitCode(), "write after failover: " + w);
            Result r = untilOk(FAILOVER_BUDGET, () -> CliRunner.record(addresses.get(2), "get", "test", "demo", key));
            assertEquals(0, r.exitCode(), "read after failover: " + r);
            assertEquals(key, JSON.readTree(r.out()).get("bins").get("name").asText());
        }

        // SIGTERM stops the two survivors and removes their pid files.
        local.destroy();
        assertTrue(local.waitFor(90, TimeUnit.SECONDS), "local exits within 90 s after SIGTERM");
        String end = read(output);
        assertEquals(143, local.exitValue(), end);
        assertTrue(end.contains("Stopping 2 nodes (n2 pid " + pids[1] + ", n3 pid " + pids[2] + ")...\nstopped\n"),
                end);
        for (int i = 0; i < 3; i++) {
            long pid = pids[i];
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "node n" + (i + 1) + " gone");
            assertFalse(Files.exists(dir.resolve("n" + (i + 1) + "/partita.pid")), "pid file of n" + (i + 1));
        }
    }

    /** Starts {@code local} with {@code args} and waits for its banner; returns the process. */
    private Process startReady(Path output, String... args) throws Exception {
        Process local = startLocal(output, args);
        if (!awaitText(local, output, "Press Ctrl-C to stop all nodes.", 300_000)) {
            fail("partita local " + String.join(" ", args) + " did not become ready within 300 s\n"
                    + diagnostics(output));
        }
        for (int i = 1; i <= 4; i++) {
            Path pid = dir.resolve("n" + i + "/partita.pid");
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(started::add);
            }
        }
        return local;
    }

    /** SIGTERM, as Ctrl-C: local stops its nodes and exits 143. */
    private static void stop(Process local, Path output) throws Exception {
        local.destroy();
        assertTrue(local.waitFor(90, TimeUnit.SECONDS), "local exits within 90 s after SIGTERM");
        assertEquals(143, local.exitValue(), read(output));
    }

    /**
     * The node ids {@code status --json} reports, with the data groups the plan places on each; asserts every node is
     * up and no move is in progress.
     */
    private static java.util.Map<String, Integer> plannedGroups(String hosts) throws Exception {
        JsonNode status = JSON.readTree(CliRunner.run("status", "--json", "--hosts", hosts).out());
        assertEquals(0, status.get("moves").size(), status.toString());
        java.util.Map<String, Integer> hosted = new java.util.TreeMap<>();
        for (JsonNode n : status.get("nodes")) {
            assertEquals("up", n.get("state").asText(), status.toString());
            hosted.put(n.get("node_id").asText(), n.get("groups_planned").asInt());
        }
        return hosted;
    }

    /**
     * One cluster directory for both stories (a cluster start costs half a minute here): the 3-node cluster that
     * survives the loss of a node, then, stopped, grown to 4 nodes and shrunk back to 3.
     */
    @Test
    @Timeout(1200)
    void threeNodesSurviveTheLossOfANodeThenGrowToFourAndBack() throws Exception {
        int base = TestPorts.freeBase(12);
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            addresses.add("127.0.0.1:" + (base + 3 * i));
        }
        String three = String.join(",", addresses.subList(0, 3));

        // Writes alice (name=Alice) and stops the cluster.
        threeNodeClusterSurvivesTheLossOfANode(base);

        // 3 -> 4: n4 gets the members as seeds and auto-join, joins, and the rebalancer moves replicas onto it.
        Path grown = Files.createTempFile(outputs, "local-4", ".out");
        Process second = startReady(grown, "--nodes", "4", "--dir", dir.toString());
        String growing = read(grown);
        assertTrue(growing.startsWith("Growing the local cluster from 3 to 4 nodes: n4 joins by itself (auto-join)"
                + " once every node is up.\nStarting 4 nodes in " + dir + ":\n"), growing);
        assertTrue(growing.contains("  n4  pid "), growing);
        assertTrue(growing.contains("\nrebalancing: "), growing);
        assertTrue(growing.matches("(?s).*\nrebalanced: n4 is a member of cluster \\S+ \\(plan version \\d+\\); "
                + "replicas per node: n1 \\d, n2 \\d, n3 \\d, n4 [1-9]\n.*"), growing);
        assertTrue(growing.contains("Partita local cluster of 4 nodes is ready"), growing);
        NodeConfig n4 = ConfigLoader.load(dir.resolve("n4/node.yaml"));
        assertTrue(n4.autoJoin(), "n4 joins by itself");
        assertEquals(addresses.subList(0, 3), n4.seeds());
        assertEquals(base + 9, n4.listen().clientPort());
        assertEquals(ConfigLoader.load(dir.resolve("n1/node.yaml")).namespaces(), n4.namespaces());
        String four = String.join(",", addresses);
        java.util.Map<String, Integer> hosted = plannedGroups(four);
        assertEquals(List.of("n1", "n2", "n3", "n4"), List.copyOf(hosted.keySet()), hosted.toString());
        assertTrue(hosted.get("n4") > 0, "n4 holds replicas: " + hosted);
        assertEquals(18, hosted.values().stream().mapToInt(Integer::intValue).sum(), "6 groups x 3: " + hosted);
        Result throughN4 = untilOk(Duration.ofSeconds(20), () -> CliRunner.record(addresses.get(3), "get", "test",
                "demo", "alice"));
        assertEquals(0, throughN4.exitCode(), throughN4.toString());
        assertEquals("Alice", JSON.readTree(throughN4.out()).get("bins").get("name").asText());
        // A running cluster is not resized: stop it first (as any second start on DIR).
        Result whileRunning = CliRunner.run("local", "--nodes", "3", "--dir", dir.toString());
        assertEquals(1, whileRunning.exitCode(), whileRunning.toString());
        assertTrue(whileRunning.err().contains("a node is already running from " + dir), whileRunning.toString());
        assertTrue(whileRunning.err().contains("a local cluster is resized while stopped: stop it with Ctrl-C, then "
                + "run partita local --nodes 3 --dir " + dir), whileRunning.toString());
        stop(second, grown);

        // 4 -> 3: n4 is decommissioned, leaves the plan, is stopped and its directory removed.
        Path shrunk = Files.createTempFile(outputs, "local-3-again", ".out");
        Process third = startReady(shrunk, "--nodes", "3", "--dir", dir.toString());
        String shrinking = read(shrunk);
        assertTrue(shrinking.startsWith("Shrinking the local cluster from 4 to 3 nodes: n4 hands its replicas over "
                + "and leaves once every node is up.\nStarting 4 nodes in " + dir + ":\n"), shrinking);
        assertTrue(shrinking.matches("(?s).*\nn4 is leaving: [1-9] replicas? left\n.*"), shrinking);
        assertTrue(shrinking.matches("(?s).*\nrebalancing: \\d moves? in progress \\(n4: [1-9] replicas? left\\)\n.*"),
                shrinking);
        assertTrue(shrinking.matches("(?s).*\nrebalanced: n4 has left cluster \\S+ \\(plan version \\d+\\); "
                + "replicas per node: n1 7, n2 7, n3 7\n.*"), shrinking); // 6 groups and the metadata group
        assertTrue(shrinking.contains("\nRemoved " + dir.resolve("n4") + ": n4 holds no replica any more.\n"),
                shrinking);
        assertTrue(shrinking.contains("Partita local cluster of 3 nodes is ready"), shrinking);
        assertFalse(Files.exists(dir.resolve("n4")), "n4's directory is removed");
        assertEquals(3, io.partita.tools.cli.LocalCommand.existingNodeCount(dir));
        hosted = plannedGroups(three);
        assertEquals(java.util.Map.of("n1", 6, "n2", 6, "n3", 6), hosted);
        Result after = untilOk(Duration.ofSeconds(20), () -> CliRunner.record(three, "get", "test", "demo", "alice"));
        assertEquals(0, after.exitCode(), after.toString());
        assertEquals("Alice", JSON.readTree(after.out()).get("bins").get("name").asText());
        stop(third, shrunk);
    }
}
