package io.partita.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partita.protocol.testing.TestPorts;
import io.partita.tools.CliRunner.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partita node add} and {@code partita node decommission} against nodes run in this JVM: a cluster of three
 * (replication factor 3, 3 groups so that moves are quick) and a fourth node that waits to join. The fourth is added,
 * takes replicas, is decommissioned with --wait until it has left, and then no node may leave.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static InProcessCluster cluster;
    private static String n1;
    private static String n4;

    @BeforeAll
    static void startNodes() throws Exception {
        cluster = InProcessCluster.start(dataDir, 3, 3, 3);
        n1 = cluster.addresses().get(0);
        n4 = cluster.startJoining(dataDir);
    }

    @AfterAll
    static void stopNodes() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void addWithoutAddressIsAUsageError() {
        Result r = CliRunner.run("node", "add", "--hosts", n1);
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertTrue(r.err().startsWith("partita node add: Missing required parameter: 'ADDRESS'"), r.toString());
    }

    @Test
    @Order(2)
    void addWithNoMemberReachableExits4() {
        String dead = "127.0.0.1:" + TestPorts.free();
        Result r = CliRunner.run("node", "add", "--hosts", dead + "," + n4, "--timeout", "10s", n4);
        assertEquals(4, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        // The waiting node answers but cannot change a plan it does not have.
        assertTrue(r.err().startsWith("partita node add: cannot reach a member of the cluster: " + dead
                + " (UNAVAILABLE: "), r.toString());
        assertTrue(r.err().contains(n4 + " (not in a cluster: waits to join one); give --hosts"), r.toString());
    }

    @Test
    @Order(3)
    void addOfAnAddressWhereNothingListensExits2() {
        String nothing = "127.0.0.1:" + TestPorts.free();
        Result r = CliRunner.run("node", "add", "--hosts", n1, nothing);
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertTrue(r.err().startsWith("partita node add: PARAMETER_ERROR: cannot reach a node at " + nothing),
                r.toString());
    }

    @Test
    @Order(4)
    void addListsTheWaitingNode() throws Exception {
        Result r = CliRunner.run("node", "add", "--hosts", n1, n4);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err(), r.toString());
        assertTrue(Pattern.matches("node n4 \\(" + Pattern.quote(n4) + "\\) added to cluster \\S+ \\(plan version "
                + "\\d+\\); replicas move onto it in the background: see 'partita status'\n", r.out()), r.toString());

        JsonNode n4Status = nodeStatus("n4");
        assertEquals(n4, n4Status.get("address").asText());
        assertEquals("active", n4Status.get("membership").asText());

        Result again = CliRunner.run("node", "add", "--hosts", n1, n4);
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().startsWith("node n4 (" + n4 + ") is already a member of cluster "), again.toString());
        assertTrue(again.out().endsWith("; nothing was changed\n"), again.toString());

        // Replicas move onto n4 until the placement is even (9 replicas on 4 nodes: n4 takes 2).
        JsonNode settled = awaitStatus(j -> find(j, "n4").get("groups_planned").asInt() >= 1
                && j.get("moves").isEmpty() && j.get("meta").get("move").isNull(), Duration.ofMinutes(2));
        assertTrue(find(settled, "n4").get("groups_planned").asInt() >= 1, settled.toString());
    }

    @Test
    @Order(5)
    void decommissionWithWaitReturnsOnceTheNodeHasLeft() throws Exception {
        Result r = CliRunner.run("node", "decommission", "--hosts", n1, "n4", "--wait", "--timeout", "2m");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(Pattern.matches("node n4 is leaving: its \\d+ replicas? moves? to the other nodes; waiting until "
                + "it has left the plan \\(at most 120s\\)", lines.get(0)), r.toString());
        for (String progress : lines.subList(1, lines.size() - 1)) {
            assertTrue(Pattern.matches("n4: \\d+ replicas? left", progress), r.toString());
        }
        assertTrue(Pattern.matches("node n4 has left cluster \\S+; it can be stopped", lines.get(lines.size() - 1)),
                r.toString());

        JsonNode status = statusJson();
        List<String> ids = new ArrayList<>();
        status.get("nodes").forEach(n -> ids.add(n.get("node_id").asText()));
        assertEquals(List.of("n1", "n2", "n3"), ids, status.toString());

        Result gone = CliRunner.run("node", "decommission", "--hosts", n1, "n4");
        assertEquals(0, gone.exitCode(), gone.toString());
        assertTrue(gone.out().startsWith("node n4 is not in the plan of cluster "), gone.toString());
        assertTrue(gone.out().endsWith(", nodes n1, n2, n3): it has left or never joined; nothing to do\n"),
                gone.toString());
    }

    @Test
    @Order(6)
    void decommissionThatWouldLeaveTooFewNodesExits2() {
        Result r = CliRunner.run("node", "decommission", "--hosts", n1, "n1");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("partita node decommission: PARAMETER_ERROR: cannot decommission n1: 2 active "
                + "nodes would be left for replication factor 3"), r.toString());
        assertTrue(r.err().contains("add a node first"), r.toString());
    }

    private static JsonNode statusJson() throws Exception {
        Result r = CliRunner.run("status", "--json", "--hosts", n1);
        assertTrue(r.exitCode() == 0 || r.exitCode() == 1, r.toString());
        return JSON.readTree(r.out());
    }

    private static JsonNode nodeStatus(String id) throws Exception {
        JsonNode n = find(statusJson(), id);
        assertTrue(n != null, id + " is in the plan");
        return n;
    }

    private static JsonNode find(JsonNode status, String id) {
        for (JsonNode n : status.get("nodes")) {
            if (n.get("node_id").asText().equals(id)) {
                return n;
            }
        }
        return null;
    }

    /** Polls {@code status --json} until {@code done} holds; fails with the last answer when the time is up. */
    private static JsonNode awaitStatus(java.util.function.Predicate<JsonNode> done, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode last = statusJson();
        while (!done.test(last)) {
            assertTrue(System.nanoTime() < deadline, "status did not settle: " + last);
            Thread.sleep(500);
            last = statusJson();
        }
        return last;
    }
}
