package io.partita.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partita.engine.time.Clock;
import io.partita.protocol.testing.TestPorts;
import io.partita.server.Node;
import io.partita.server.config.NodeConfig;
import io.partita.tools.CliRunner.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The record commands, run in this JVM against a real node. */
@Timeout(120)
class RecordCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger KEYS = new AtomicInteger();

    @TempDir
    static Path dataDir;

    private static Node node;
    private static String hosts;

    @BeforeAll
    static void startNode() throws Exception {
        node = Node.start(NodeConfig.defaults("n1", dataDir).withPorts(0, TestPorts.free(), 0), Clock.SYSTEM);
        assertTrue(node.awaitReady(Duration.ofSeconds(30)), "node ready");
        hosts = node.clientAddress();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /** A key no other test uses. */
    private static String newKey() {
        return "k" + KEYS.incrementAndGet();
    }

    private static Result cli(String command, String... rest) {
        return CliRunner.record(hosts, command, rest);
    }

    private static JsonNode json(Result r) throws Exception {
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err(), r.toString());
        return JSON.readTree(r.out());
    }

    private static void assertFails(Result r, int exit, String command, String code) {
        assertEquals(exit, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.errLines().size(), "one line on stderr: " + r);
        assertTrue(r.err().startsWith("partita " + command + ": " + code + ": "), r.toString());
    }

    private static List<String> names(JsonNode object) {
        List<String> l = new ArrayList<>();
        object.fieldNames().forEachRemaining(l::add);
        return l;
    }

    @Test
    void putThenGet() throws Exception {
        String k = newKey();
        long before = System.currentTimeMillis();
        Result put = cli("put", "test", "demo", k, "name=Alice", "age=30", "score=4.5", "ok=true",
                "tags=[\"a\",1]", "addr={\"city\":\"Oslo\"}", "raw={\"$bytes\":\"AAEC\"}", "quoted=\"42\"");
        assertEquals("{\"generation\": 1}\n", put.out(), put.toString());
        assertEquals(1, json(put).get("generation").asInt());

        JsonNode rec = json(cli("get", "test", "demo", k));
        assertEquals(List.of("namespace", "set", "key", "generation", "ttl", "last_update", "bins"), names(rec));
        assertEquals("test", rec.get("namespace").asText());
        assertEquals("demo", rec.get("set").asText());
        assertEquals(k, rec.get("key").asText());
        assertEquals(1, rec.get("generation").asInt());
        assertEquals(-1, rec.get("ttl").asLong(), "namespace default TTL 0 = never expires");
        long lastUpdate = Instant.parse(rec.get("last_update").asText()).toEpochMilli();
        assertTrue(lastUpdate >= before - 1000 && lastUpdate <= System.currentTimeMillis() + 1000, rec.toString());
        JsonNode bins = rec.get("bins");
        assertEquals(List.of("name", "age", "score", "ok", "tags", "addr", "raw", "quoted"), names(bins));
        assertEquals("Alice", bins.get("name").textValue());
        assertTrue(bins.get("age").isIntegralNumber());
        assertEquals(30, bins.get("age").asInt());
        assertEquals(4.5, bins.get("score").doubleValue());
        assertTrue(bins.get("ok").booleanValue());
        assertEquals("a", bins.get("tags").get(0).textValue());
        assertEquals(1, bins.get("tags").get(1).intValue());
        assertEquals("Oslo", bins.get("addr").get("city").textValue());
        assertEquals("AAEC", bins.get("raw").get("$bytes").textValue());
        assertEquals("42", bins.get("quoted").textValue());
    }

    @Test
    void getSelectedBinsAndHeader() throws Exception {
        String k = newKey();
        json(cli("put", "test", "demo", k, "a=1", "b=2", "c=3"));
        JsonNode some = json(cli("get", "--bins", "a,c", "test", "demo", k));
        assertEquals(List.of("a", "c"), names(some.get("bins")));
        JsonNode header = json(cli("get", "--header", "test", "demo", k));
        assertFalse(header.has("bins"), header.toString());
        assertEquals(1, header.get("generation").asInt());
    }

    @Test
    void getMissingExits1() {
        assertFails(cli("get", "test", "demo", newKey()), 1, "get", "KEY_NOT_FOUND");
    }

    @Test
    void createOnlyOnExistingExits3() throws Exception {
        String k = newKey();
        json(cli("put", "--policy", "create-only", "test", "demo", k, "a=1"));
        assertFails(cli("put", "--policy", "create-only", "test", "demo", k, "a=2"), 3, "put", "KEY_EXISTS");
    }

    @Test
    void updateOnlyOnMissingExits1() {
        assertFails(cli("put", "--policy", "update-only", "test", "demo", newKey(), "a=1"), 1, "put",
                "KEY_NOT_FOUND");
    }

    @Test
    void generationCheck() throws Exception {
        String k = newKey();
        json(cli("put", "test", "demo", k, "a=1"));
        assertFails(cli("put", "--generation", "5", "test", "demo", k, "a=2"), 3, "put", "GENERATION_ERROR");
        assertEquals(2, json(cli("put", "--generation", "1", "test", "demo", k, "a=2")).get("generation").asInt());
        assertFails(cli("delete", "--generation", "1", "test", "demo", k), 3, "delete", "GENERATION_ERROR");
        assertFails(cli("touch", "--generation", "1", "test", "demo", k), 3, "touch", "GENERATION_ERROR");
        assertEquals(2, json(cli("get", "test", "demo", k)).get("bins").get("a").asInt());
    }

    @Test
    void replaceAndNullRemoveBins() throws Exception {
        String k = newKey();
        json(cli("put", "test", "demo", k, "a=1", "b=2", "c=3"));
        json(cli("put", "test", "demo", k, "b=null"));
        assertEquals(List.of("a", "c"), names(json(cli("get", "test", "demo", k)).get("bins")));
        json(cli("put", "--policy", "replace", "test", "demo", k, "z=9"));
        assertEquals(List.of("z"), names(json(cli("get", "test", "demo", k)).get("bins")));
    }

    @Test
    void binNameOf16BytesExits2() {
        assertFails(cli("put", "test", "demo", newKey(), "abcdefghijklmnop=1"), 2, "put", "BIN_NAME_TOO_LONG");
    }

    @Test
    void unknownNamespaceExits2() {
        assertFails(cli("put", "nosuchns", "demo", newKey(), "a=1"), 2, "put", "NAMESPACE_NOT_FOUND");
        assertFails(cli("get", "nosuchns", "demo", newKey()), 2, "get", "NAMESPACE_NOT_FOUND");
    }

    @Test
    void existsTouchDelete() throws Exception {
        String k = newKey();
        Result absent = cli("exists", "test", "demo", k);
        assertEquals(1, absent.exitCode(), absent.toString());
        assertEquals("{\"exists\": false}\n", absent.out());
        assertFails(cli("touch", "test", "demo", k), 1, "touch", "KEY_NOT_FOUND");

        json(cli("put", "test", "demo", k, "a=1"));
        Result present = cli("exists", "test", "demo", k);
        assertEquals(0, present.exitCode(), present.toString());
        assertEquals("{\"exists\": true}\n", present.out());

        Result touch = cli("touch", "--ttl", "100", "test", "demo", k);
        assertEquals("{\"generation\": 2}\n", touch.out(), touch.toString());
        JsonNode header = json(cli("get", "--header", "test", "demo", k));
        assertEquals(2, header.get("generation").asInt());
        long ttl = header.get("ttl").asLong();
        assertTrue(ttl > 90 && ttl <= 100, "ttl " + ttl);

        Result delete = cli("delete", "test", "demo", k);
        assertEquals(0, delete.exitCode(), delete.toString());
        assertEquals("{\"deleted\": true}\n", delete.out());
        assertFails(cli("get", "test", "demo", k), 1, "get", "KEY_NOT_FOUND");
        assertFails(cli("delete", "test", "demo", k), 1, "delete", "KEY_NOT_FOUND");
        assertEquals(1, cli("exists", "test", "demo", k).exitCode());
    }

    @Test
    void putWithTtl() throws Exception {
        String k = newKey();
        json(cli("put", "--ttl", "50", "test", "demo", k, "a=1"));
        long ttl = json(cli("get", "test", "demo", k)).get("ttl").asLong();
        assertTrue(ttl > 40 && ttl <= 50, "ttl " + ttl);
        json(cli("put", "--ttl", "-2", "test", "demo", k, "a=2"));
        long kept = json(cli("get", "test", "demo", k)).get("ttl").asLong();
        assertTrue(kept > 40 && kept <= 50, "ttl kept: " + kept);
        json(cli("put", "--ttl", "-1", "test", "demo", k, "a=3"));
        assertEquals(-1, json(cli("get", "test", "demo", k)).get("ttl").asLong());
    }

    @Test
    void longAndBytesKeys() throws Exception {
        int n = 1_000_000 + KEYS.incrementAndGet();
        json(cli("put", "--key-type", "long", "test", "demo", Integer.toString(n), "a=1"));
        JsonNode rec = json(cli("get", "--key-type", "long", "test", "demo", Integer.toString(n)));
        assertTrue(rec.get("key").isIntegralNumber(), rec.toString());
        assertEquals(n, rec.get("key").asInt());
        // The string key "n" is a different record.
        assertFails(cli("get", "test", "demo", Integer.toString(n)), 1, "get", "KEY_NOT_FOUND");

        String hex = String.format("%08x", n);
        json(cli("put", "--key-type", "bytes", "test", "demo", hex, "a=1"));
        JsonNode b = json(cli("get", "--key-type", "bytes", "test", "demo", "0x" + hex.toUpperCase()));
        assertTrue(b.get("key").has("$bytes"), b.toString());
    }

    @Test
    void hostListMayNameUnreachableNodes() throws Exception {
        String k = newKey();
        String hostList = "127.0.0.1:" + TestPorts.free() + "," + hosts;
        Result r = CliRunner.record(hostList, "put", "test", "demo", k, "a=1");
        assertEquals(1, json(r).get("generation").asInt());
    }

    @Test
    void operateRunsOperationsInOrderAndPrintsEveryResult() throws Exception {
        String k = newKey();
        JsonNode first = json(cli("operate", "test", "demo", k, "[\"add\",\"visits\",1]",
                "[\"list-append\",\"pages\",\"/home\"]", "[\"list-append\",\"pages\",\"/about\"]",
                "[\"map-put\",\"scores\",\"ada\",7]", "[\"map-get-by-key\",\"scores\",\"ada\",\"value\"]",
                "[\"list-get-by-index\",\"pages\",-1,\"value\"]", "[\"get\",\"visits\"]"));
        assertEquals(1, first.get("generation").asInt());
        assertEquals("[null,1,2,1,7,\"/about\",1]", first.get("results").toString());

        JsonNode all = json(cli("operate", "test", "demo", k, "[\"read\"]", "[\"read-header\"]"));
        assertEquals(1, all.get("generation").asInt(), "reads only: no write");
        assertEquals(1, all.get("results").get(0).get("visits").asInt());
    }

    @Test
    void operateSetsOrdersByName() throws Exception {
        String k = newKey();
        JsonNode r = json(cli("operate", "test", "demo", k, "[\"list-set-order\",\"l\",\"ordered\"]",
                "[\"list-append-items\",\"l\",[3,1,2]]", "[\"map-set-order\",\"m\",\"key-ordered\"]",
                "[\"map-put-items\",\"m\",{\"b\":1,\"a\":2}]", "[\"read\",\"l\"]", "[\"read\",\"m\"]"));
        assertEquals("[null,3,null,2,[1,2,3],{\"a\":2,\"b\":1}]", r.get("results").toString());
        Result wrong = cli("operate", "test", "demo", k, "[\"list-set-order\",\"l\",\"key-ordered\"]");
        assertEquals(2, wrong.exitCode(), wrong.toString());
        assertTrue(wrong.err().contains("one of unordered, ordered"), wrong.toString());
    }

    @Test
    void operateRefusesBadOperationsAndReportsNodeRefusals() {
        String k = newKey();
        Result unknown = cli("operate", "test", "demo", k, "[\"frobnicate\",\"a\"]");
        assertEquals(2, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("unknown operation 'frobnicate'"), unknown.toString());

        Result notJson = cli("operate", "test", "demo", k, "add visits 1");
        assertEquals(2, notJson.exitCode(), notJson.toString());
        assertTrue(notJson.err().contains("JSON array"), notJson.toString());

        assertEquals(0, cli("put", "test", "demo", k, "s=text").exitCode());
        assertFails(cli("operate", "test", "demo", k, "[\"list-append\",\"s\",1]"), 2, "operate",
                "BIN_TYPE_ERROR");
        assertFails(cli("operate", "test", "demo", newKey(), "[\"read\",\"s\"]"), 1, "operate", "KEY_NOT_FOUND");
    }

    @Test
    void truncateRemovesASetAndSaysHowMany() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(0, cli("put", "test", "trunc", "t" + i, "v=1").exitCode());
        }
        assertEquals(0, cli("put", "test", "kept", "t0", "v=1").exitCode());
        Result r = CliRunner.run("truncate", "--hosts", hosts, "test", "trunc");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("{\"removed\": 5}\n", r.out());
        assertEquals(1, cli("exists", "test", "trunc", "t3").exitCode());
        assertEquals(0, cli("exists", "test", "kept", "t0").exitCode());

        Result bad = CliRunner.run("truncate", "--hosts", hosts, "--before", "yesterday", "test");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("ISO-8601"), bad.toString());
        Result future = CliRunner.run("truncate", "--hosts", hosts, "--before", "2999-01-01T00:00:00Z", "test");
        assertEquals(2, future.exitCode(), future.toString());
        assertTrue(future.err().startsWith("partita truncate: PARAMETER_ERROR: "), future.toString());
    }

    @Test
    void scanPrintsOneJsonLinePerRecordOfTheSet() throws Exception {
        for (int i = 0; i < 7; i++) {
            assertEquals(0, cli("put", "test", "scanned", "s" + i, "n=" + i, "other=x").exitCode());
        }
        Result r = CliRunner.run("scan", "--hosts", hosts, "--bins", "n", "test", "scanned");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(7, lines.size(), r.toString());
        java.util.Set<Long> values = new java.util.HashSet<>();
        for (String line : lines) {
            JsonNode rec = JSON.readTree(line);
            assertEquals("scanned", rec.get("set").asText());
            assertEquals(40, rec.get("digest").asText().length());
            assertEquals(List.of("n"), names(rec.get("bins")));
            values.add(rec.get("bins").get("n").asLong());
        }
        assertEquals(java.util.Set.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), values);
        assertEquals(3, CliRunner.run("scan", "--hosts", hosts, "--max", "3", "test", "scanned").out().lines().count());
        Result bad = CliRunner.run("scan", "--hosts", hosts, "--partitions", "x", "test");
        assertEquals(2, bad.exitCode(), bad.toString());
    }
}
