package io.partita.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.protocol.testing.TestPorts;
import io.partita.tools.CliRunner.Result;
import io.partita.tools.cli.LocalCommand;
import io.partita.tools.cli.LocalLayout;
import io.partita.tools.cli.LocalNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Command-line handling that needs no node. */
class CliUsageTest {

    private static void assertUsageError(Result r, String prefix, String contains) {
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.errLines().size(), "one line on stderr: " + r);
        assertTrue(r.err().startsWith(prefix + ": "), r.toString());
        assertTrue(r.err().contains(contains), r.toString());
        assertFalse(r.err().contains("Exception"), "no stack trace: " + r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "server", "status", "stats", "cluster", "cluster init", "node",
        "node add", "node decommission", "put", "get", "delete",
        "exists", "touch", "backup", "backup verify", "restore"})
    void everyCommandHasHelp(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        Result r = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("Usage: partita " + command), r.toString());
        assertTrue(r.out().contains("Exit codes:"), r.toString());
    }

    @Test
    void recordCommandHelpDocumentsEveryExitCode() {
        String help = CliRunner.run("get", "--help").out();
        for (String s : new String[] {"0   success", "1   not found", "2   usage error", "3   conflict",
            "4   could not complete"}) {
            assertTrue(help.contains(s), s + " in\n" + help);
        }
    }

    @Test
    void topLevelHelpListsTheCommands() {
        Result r = CliRunner.run("--help");
        assertEquals(0, r.exitCode());
        for (String c : new String[] {"local", "server", "status", "cluster", "node", "put", "get", "delete", "exists",
            "touch"}) {
            assertTrue(r.out().contains("\n  " + c + " "), c + " in\n" + r.out());
        }
    }

    @Test
    void noCommandIsAUsageError() {
        assertUsageError(CliRunner.run(), "partita", "missing command");
    }

    @Test
    void unknownCommandSuggestsTheNearestOne() {
        assertUsageError(CliRunner.run("gte", "test", "demo", "k"), "partita", "(did you mean get?)");
        assertUsageError(CliRunner.run("lcoal"), "partita", "(did you mean local?)");
        Result far = CliRunner.run("frobnicate");
        assertUsageError(far, "partita", "'frobnicate'");
        assertFalse(far.err().contains("did you mean"), far.toString());
    }

    @Test
    void missingArgumentsAreOneLine() {
        assertUsageError(CliRunner.run("get", "test", "demo"), "partita get", "KEY");
        assertUsageError(CliRunner.run("put", "test", "demo", "k"), "partita put", "BIN=VALUE");
        assertUsageError(CliRunner.run("server"), "partita server", "--conf");
    }

    @Test
    void badOptionValues() {
        assertUsageError(CliRunner.run("put", "--policy", "sometimes", "test", "demo", "k", "a=1"), "partita put",
                "create-only");
        assertUsageError(CliRunner.run("put", "--generation", "0", "test", "demo", "k", "a=1"), "partita put",
                "--generation");
        assertUsageError(CliRunner.run("put", "--ttl", "-3", "test", "demo", "k", "a=1"), "partita put", "--ttl");
        assertUsageError(CliRunner.run("touch", "--ttl", "soon", "test", "demo", "k"), "partita touch", "--ttl");
        assertUsageError(CliRunner.run("get", "--timeout", "0", "test", "demo", "k"), "partita get", "--timeout");
        assertUsageError(CliRunner.run("get", "--key-type", "int", "test", "demo", "k"), "partita get",
                "--key-type");
        assertUsageError(CliRunner.run("get", "--key-type", "long", "test", "demo", "k"), "partita get",
                "64-bit integer");
        assertUsageError(CliRunner.run("get", "--key-type", "bytes", "test", "demo", "xyz"), "partita get", "hex");
        assertUsageError(CliRunner.run("get", "--hosts", "nohostport", "test", "demo", "k"), "partita get",
                "host:port");
        assertUsageError(CliRunner.run("get", "--header", "--bins", "a", "test", "demo", "k"), "partita get",
                "--header");
        assertUsageError(CliRunner.run("get", "test", "demo", "k", "extra"), "partita get", "extra");
    }

    @Test
    void badBinArguments() {
        assertUsageError(CliRunner.run("put", "test", "demo", "k", "novalue"), "partita put", "bin=value");
        assertUsageError(CliRunner.run("put", "test", "demo", "k", "=1"), "partita put", "empty bin name");
        assertUsageError(CliRunner.run("put", "test", "demo", "k", "n=123456789012345678901234"), "partita put",
                "64-bit");
    }

    @Test
    void namespaceLongerThanTheLimitIsAUsageError() {
        assertUsageError(CliRunner.run("get", "a".repeat(40), "demo", "k"), "partita get", "namespace");
    }

    @Test
    void noReachableNodeExits4() {
        int port = TestPorts.free(); // nothing listens there
        Result r = CliRunner.run("get", "--hosts", "127.0.0.1:" + port, "--timeout", "500", "test", "demo", "k");
        assertEquals(4, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("partita get: SERVER_ERROR: "), r.toString());
    }

    @Test
    void localTakesOneTo4096RaftGroupsOrAuto(@TempDir Path dir) {
        assertUsageError(CliRunner.run("local", "--dir", dir.toString(), "--raft-groups", "0"), "partita local",
                "--raft-groups must be 1 to 4096 or auto, got 0");
        assertUsageError(CliRunner.run("local", "--dir", dir.toString(), "--raft-groups", "4097"), "partita local",
                "--raft-groups must be 1 to 4096 or auto, got 4097");
        assertUsageError(CliRunner.run("local", "--dir", dir.toString(), "--raft-groups", "many"), "partita local",
                "--raft-groups must be 1 to 4096 or auto, got many");
    }

    @Test
    void localTakesOneToNineNodes(@TempDir Path dir) {
        assertUsageError(CliRunner.run("local", "--dir", dir.toString(), "--nodes", "0"), "partita local",
                "--nodes must be 1 to 9, got 0");
        assertUsageError(CliRunner.run("local", "--dir", dir.toString(), "--nodes", "10"), "partita local",
                "--nodes must be 1 to 9, got 10");
        assertFalse(Files.exists(dir.resolve("n1")), "nothing is created");
        assertUsageError(CliRunner.run("local", "--dir", dir.toString(), "--nodes", "3", "--port", "65530"),
                "partita local", "leaves no room for 9 consecutive ports");
    }

    @Test
    void localRefusesToShrinkBelowTheReplicationFactorOrToResizeASingleNode(@TempDir Path dir) throws Exception {
        LocalLayout three = new LocalLayout(dir, 7300, 3);
        for (int i = 1; i <= 3; i++) {
            new LocalNode(three, i).writeConfig(LocalCommand.newConfig(three, i));
        }
        for (String n : new String[] {"2", "1"}) {
            assertUsageError(CliRunner.run("local", "--dir", dir.toString(), "--nodes", n), "partita local",
                    dir + " holds a local cluster of 3 nodes whose namespaces keep 3 copies of each record "
                            + "(replication-factor 3): it cannot shrink below 3 nodes without losing copies; use "
                            + "--nodes 3 (or leave --nodes out to keep 3)");
        }
        Path single = dir.resolve("single");
        LocalLayout one = new LocalLayout(single, 7300, 1);
        new LocalNode(one, 1).writeConfig(LocalCommand.newConfig(one, 1));
        assertUsageError(CliRunner.run("local", "--dir", single.toString(), "--nodes", "3"), "partita local",
                "holds a single node (n1); use --nodes 1 (or leave --nodes out), or another --dir: a single node is"
                        + " a cluster of its own (one copy of each record) and is not resized");
        for (int i = 1; i <= 3; i++) {
            assertFalse(Files.exists(dir.resolve("n" + i + "/partita.pid")), "no node was started");
        }
        assertFalse(Files.exists(single.resolve("n2")), "no node was added");
    }

    @Test
    void localClusterRefusesWhenAnyNodesPortIsTaken(@TempDir Path dir) throws Exception {
        int base = TestPorts.freeBase(9);
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress("127.0.0.1", base + 7)); // n3's raft port
            Result r = CliRunner.run("local", "--dir", dir.toString(), "--port", Integer.toString(base), "--nodes",
                    "3");
            assertEquals(1, r.exitCode(), r.toString());
            assertEquals("partita local: port " + (base + 7) + " (raft) of node n3 on 127.0.0.1 is already in use; "
                    + "pick other ports with --port BASE (BASE to BASE+8 must be free)\n", r.err());
            for (int i = 1; i <= 3; i++) {
                assertFalse(Files.exists(dir.resolve("n" + i + "/partita.pid")), "no node was started");
            }
        }
    }

    @Test
    void clusterWithoutSubcommandIsAUsageError() {
        assertUsageError(CliRunner.run("cluster"), "partita cluster", "missing command (init)");
        assertUsageError(CliRunner.run("cluster", "int"), "partita cluster", "(did you mean init?)");
    }

    @Test
    void clusterInitOptions() {
        assertUsageError(CliRunner.run("cluster", "init"), "partita cluster init", "--hosts");
        assertUsageError(CliRunner.run("cluster", "init", "--hosts", "a:1,nohostport"), "partita cluster init",
                "--hosts: 'nohostport' is not host:port");
        assertUsageError(CliRunner.run("cluster", "init", "--hosts", "a:1", "--timeout", "soon"),
                "partita cluster init", "is not a duration");
        assertUsageError(CliRunner.run("cluster", "init", "--hosts", "a:1", "--timeout", "0s"),
                "partita cluster init", "more than zero");
    }

    @Test
    void nodeWithoutSubcommandIsAUsageError() {
        assertUsageError(CliRunner.run("node"), "partita node", "missing command (add, decommission, hand-off)");
        assertUsageError(CliRunner.run("node", "ad"), "partita node", "(did you mean add?)");
    }

    @Test
    void nodeOptions() {
        assertUsageError(CliRunner.run("node", "add", "--hosts", "a:1"), "partita node add", "ADDRESS");
        assertUsageError(CliRunner.run("node", "add", "--hosts", "a:1", "nohostport"), "partita node add",
                "ADDRESS: 'nohostport' is not host:port");
        assertUsageError(CliRunner.run("node", "add", "--hosts", "nohostport", "a:1"), "partita node add",
                "--hosts: 'nohostport' is not host:port");
        assertUsageError(CliRunner.run("node", "add", "--timeout", "0s", "a:1"), "partita node add", "more than zero");
        assertUsageError(CliRunner.run("node", "add", "a:1", "b:2"), "partita node add", "b:2");
        assertUsageError(CliRunner.run("node", "decommission"), "partita node decommission", "NODE_ID");
        assertUsageError(CliRunner.run("node", "decommission", " "), "partita node decommission",
                "NODE_ID must not be empty");
        assertUsageError(CliRunner.run("node", "decommission", "--timeout", "soon", "n2"),
                "partita node decommission", "is not a duration");
    }

    @Test
    void nodeHelpExplainsTheExitCodes() {
        String add = CliRunner.run("node", "add", "--help").out();
        assertTrue(add.contains("Exit codes:") && add.contains("PARAMETER_ERROR") && add.contains("TIMEOUT"), add);
        String decommission = CliRunner.run("node", "decommission", "--help").out();
        assertTrue(decommission.contains("--wait") && decommission.contains("--timeout passed"), decommission);
    }

    @Test
    void statusOptions() {
        assertUsageError(CliRunner.run("status", "--hosts", "nohostport"), "partita status",
                "--hosts: 'nohostport' is not host:port");
        assertUsageError(CliRunner.run("status", "--max-lag", "-1"), "partita status", "--max-lag");
        assertUsageError(CliRunner.run("status", "--timeout", "2 weeks"), "partita status", "is not a duration");
        assertUsageError(CliRunner.run("status", "extra"), "partita status", "extra");
    }

    @Test
    void clusterInitWithNoReachableHostExits4() {
        String a = "127.0.0.1:" + TestPorts.free();
        String b = "127.0.0.1:" + TestPorts.free();
        Result r = CliRunner.run("cluster", "init", "--hosts", a + "," + b, "--timeout", "5s");
        assertEquals(4, r.exitCode(), r.toString());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("partita cluster init: cannot reach any of the hosts: " + a + " (UNAVAILABLE: "),
                r.toString());
        assertTrue(r.err().contains(b + " (UNAVAILABLE: "), r.toString());
    }

    @Test
    void statusWithNoReachableHostExits4() {
        String a = "127.0.0.1:" + TestPorts.free();
        for (String json : new String[] {"--json", "--timeout=2s"}) {
            Result r = CliRunner.run("status", "--hosts", a, json);
            assertEquals(4, r.exitCode(), r.toString());
            assertEquals("", r.out());
            assertEquals("partita status: no node answered: " + a + " (UNAVAILABLE: Connection refused)\n",
                    r.err());
        }
    }

    @Test
    void localRejectsPortsOutOfRange(@TempDir Path dir) {
        assertUsageError(CliRunner.run("local", "--dir", dir.toString(), "--port", "65534"), "partita local",
                "--port");
    }

    @Test
    void localRefusesWhenAPortIsTaken(@TempDir Path dir) throws Exception {
        int base = TestPorts.freeBase();
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress("127.0.0.1", base + 1));
            Result r = CliRunner.run("local", "--dir", dir.toString(), "--port", Integer.toString(base));
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.err().contains("port " + (base + 1) + " (raft)"), r.toString());
            assertTrue(r.err().contains("--port"), r.toString());
            assertFalse(Files.exists(dir.resolve("n1/partita.pid")), "no node was started");
        }
    }
}
