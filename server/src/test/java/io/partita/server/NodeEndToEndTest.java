package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Record;
import io.partita.client.RecordExistsAction;
import io.partita.client.WritePolicy;
import io.partita.engine.time.ManualClock;
import io.partita.protocol.ResultCode;
import io.partita.server.config.NodeConfig;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation, policy and result code end to end: the real client against a real node (Ratis + RocksDB).
 * The node's clock is a {@link ManualClock} so TTL expiry is tested without sleeping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeEndToEndTest {
    private static final long START_MS = 1_800_000_000_000L;

    @TempDir
    static Path dir;

    private final ManualClock clock = new ManualClock(START_MS);
    private Node node;
    private PartitaClient client;

    @BeforeAll
    void start() throws Exception {
        NodeConfig config = TestNodes.config(dir).withNamespaces(List.of(
                NamespaceConfig.defaults("test"),
                new NamespaceConfig("cache", 1, 60, 4096)));
        node = TestNodes.startReady(config, clock);
        client = PartitaClient.connect(node.clientAddress());
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static Key key(String k) {
        return new Key("test", "e2e", k);
    }

    private static ResultCode codeOf(Runnable call) {
        return assertThrows(PartitaException.class, call::run).resultCode();
    }

    private static WritePolicy policy(RecordExistsAction action) {
        return WritePolicy.builder().existsAction(action).build();
    }

    @Test
    void putThenGetAllBinsSelectedBinsAndHeader() {
        Key k = key("alice");
        Map<String, Object> bins = new LinkedHashMap<>();
        bins.put("name", "Alice");
        bins.put("age", 30L);
        bins.put("score", 9.5);
        bins.put("admin", true);
        bins.put("blob", new byte[] {1, 2, 3});
        bins.put("tags", List.of("a", 1L, List.of(true)));
        bins.put("attrs", Map.of("k", "v"));
        long writtenAt = clock.nowMs();
        assertEquals(1, client.put(k, bins));

        Record all = client.get(k);
        assertEquals(1, all.generation());
        assertEquals(writtenAt, all.lastUpdateMs(), "last-update time comes from the leader's clock");
        assertEquals(0, all.voidTimeMs());
        assertEquals("Alice", all.getString("name"));
        assertEquals(30L, all.getLong("age"));
        assertEquals(9.5, all.getDouble("score"));
        assertEquals(true, all.getBoolean("admin"));
        assertArrayEquals(new byte[] {1, 2, 3}, all.getBytes("blob"));
        assertEquals(List.of("a", 1L, List.of(true)), all.getList("tags"));
        assertEquals(Map.of("k", "v"), all.getMap("attrs"));

        Record some = client.get(null, k, "name", "missing-bin");
        assertEquals(Map.of("name", "Alice"), some.bins());
        Record header = client.getHeader(k);
        assertEquals(1, header.generation());
        assertTrue(header.bins().isEmpty());
        assertTrue(client.exists(k));
        assertNull(client.get(key("nobody")));
        assertNull(client.getHeader(key("nobody")));
        assertFalse(client.exists(key("nobody")));
    }

    @Test
    void existsPoliciesMergeReplaceCreateOnlyUpdateOnly() {
        Key k = key("policies");
        assertEquals(ResultCode.KEY_NOT_FOUND, codeOf(() -> client.put(policy(RecordExistsAction.UPDATE_ONLY), k,
                Map.of("a", 1L))));
        assertEquals(1, client.put(policy(RecordExistsAction.CREATE_ONLY), k, Map.of("a", 1L, "b", 2L)));
        assertEquals(ResultCode.KEY_EXISTS, codeOf(() -> client.put(policy(RecordExistsAction.CREATE_ONLY), k,
                Map.of("a", 9L))));
        assertEquals(2, client.put(policy(RecordExistsAction.UPDATE_ONLY), k, Map.of("c", 3L)));
        assertEquals(Map.of("a", 1L, "b", 2L, "c", 3L), client.get(k).bins());
        assertEquals(3, client.put(k, Map.of("a", 10L)));
        assertEquals(Map.of("a", 10L, "b", 2L, "c", 3L), client.get(k).bins());
        assertEquals(4, client.put(policy(RecordExistsAction.REPLACE), k, Map.of("z", "only")));
        assertEquals(Map.of("z", "only"), client.get(k).bins());
        Map<String, Object> remove = new HashMap<>();
        remove.put("z", null);
        remove.put("y", "new");
        client.put(k, remove);
        assertEquals(Map.of("y", "new"), client.get(k).bins(), "a null value removes the bin");
    }

    @Test
    void deleteExistsTouch() {
        Key k = key("lifecycle");
        assertFalse(client.delete(k));
        assertEquals(ResultCode.KEY_NOT_FOUND, codeOf(() -> client.touch(k)));
        client.put(k, Map.of("v", 1L));
        assertEquals(2, client.touch(k));
        assertEquals(2, client.get(k).generation());
        assertEquals(1L, client.get(k).getLong("v"));
        assertTrue(client.delete(k));
        assertFalse(client.exists(k));
        assertEquals(1, client.put(k, Map.of("v", 2L)), "a deleted record starts again at generation 1");
    }

    @Test
    void expectedGenerationOnEveryWrite() {
        Key k = key("cas");
        client.put(k, Map.of("v", 1L));
        WritePolicy stale = WritePolicy.builder().expectedGeneration(5).build();
        WritePolicy current = WritePolicy.builder().expectedGeneration(1).build();
        assertEquals(ResultCode.GENERATION_ERROR, codeOf(() -> client.put(stale, k, Map.of("v", 2L))));
        assertEquals(ResultCode.GENERATION_ERROR, codeOf(() -> client.touch(stale, k)));
        assertEquals(ResultCode.GENERATION_ERROR, codeOf(() -> client.delete(stale, k)));
        assertEquals(2, client.put(current, k, Map.of("v", 2L)));
        assertEquals(3, client.touch(WritePolicy.builder().expectedGeneration(2).build(), k));
        assertTrue(client.delete(WritePolicy.builder().expectedGeneration(3).build(), k));
        assertEquals(ResultCode.KEY_NOT_FOUND, codeOf(() -> client.put(current, k, Map.of("v", 3L))),
                "a CAS write never creates a missing record");
    }

    @Test
    void ttlFromPolicyAndNamespaceDefaultExpiresExactlyOnTime() {
        long now = clock.nowMs();
        Key perWrite = key("ttl-write");
        client.put(WritePolicy.builder().ttlSeconds(10).build(), perWrite, Map.of("v", 1L));
        assertEquals(now + 10_000, client.get(perWrite).voidTimeMs());

        Key nsDefault = new Key("cache", "e2e", "ttl-default");
        client.put(nsDefault, Map.of("v", 1L));
        assertEquals(now + 60_000, client.get(nsDefault).voidTimeMs(), "namespace default-ttl 60 s applies");

        Key never = new Key("cache", "e2e", "ttl-never");
        client.put(WritePolicy.builder().ttlSeconds(WritePolicy.TTL_NEVER_EXPIRE).build(), never, Map.of("v", 1L));
        assertEquals(0, client.get(never).voidTimeMs());

        clock.advanceMs(9_999);
        assertNotNull(client.get(perWrite));
        clock.advanceMs(1);
        assertNull(client.get(perWrite), "invisible from the moment it expires");
        assertFalse(client.exists(perWrite));
        assertEquals(ResultCode.KEY_NOT_FOUND, codeOf(() -> client.touch(perWrite)));

        // Keep the current expiry on update, then reset it with touch.
        client.put(WritePolicy.builder().ttlSeconds(WritePolicy.TTL_DONT_UPDATE).build(), nsDefault, Map.of("w", 2L));
        assertEquals(now + 60_000, client.get(nsDefault).voidTimeMs());
        client.touch(WritePolicy.builder().ttlSeconds(100).build(), nsDefault);
        assertEquals(clock.nowMs() + 100_000, client.get(nsDefault).voidTimeMs());

        clock.advanceMs(3_600_000);
        assertNull(client.get(nsDefault));
        assertNotNull(client.get(never));
        assertEquals(1, client.put(perWrite, Map.of("v", 2L)), "writing over an expired record creates it anew");
    }

    @Test
    void refusedWritesGetTypedCodesAndTheNodeKeepsServing() {
        Key k = key("limits");
        assertEquals(ResultCode.BIN_NAME_TOO_LONG, codeOf(() -> client.put(k, Map.of("sixteen-bytes-xx", 1L))));
        assertEquals(1, client.put(k, Map.of("fifteen-bytes-x", 1L)), "15 bytes is the limit, inclusive");
        assertEquals(ResultCode.NAMESPACE_NOT_FOUND, codeOf(() -> client.put(new Key("nope", "s", "k"),
                Map.of("a", 1L))));
        Key small = new Key("cache", "e2e", "big");
        assertEquals(ResultCode.RECORD_TOO_BIG, codeOf(() -> client.put(small, Map.of("v", "x".repeat(5000)))));
        client.put(small, Map.of("a", "x".repeat(2500)));
        assertEquals(ResultCode.RECORD_TOO_BIG, codeOf(() -> client.put(small, Map.of("b", "y".repeat(2500)))),
                "the merged record is checked too");
        assertEquals(ResultCode.RECORD_TOO_BIG, codeOf(() -> client.put(k, Map.of("huge", "z".repeat(3 << 20)))),
                "a request over the node's message limit is refused unread");
        assertEquals(Map.of("a", "x".repeat(2500)), client.get(small).bins());
        assertEquals(2, client.put(k, Map.of("ok", true)));
    }

    @Test
    void asyncCallsCompleteThroughTheSameServer() throws Exception {
        Key k = key("async");
        CompletableFuture<Integer> put = client.putAsync(k, Map.of("v", 42L));
        assertEquals(1, put.get());
        assertEquals(42L, client.getAsync(k).get().getLong("v"));
        assertTrue(client.existsAsync(k).get());
        assertEquals(2, client.touchAsync(k).get());
        assertTrue(client.deleteAsync(k).get());
    }
}
