package io.partita.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.partita.client.FakeCluster.FakeNode;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.GetRequest;
import io.partita.protocol.v1.GetResponse;
import io.partita.protocol.v1.PutRequest;
import io.partita.protocol.v1.PutResponse;
import io.partita.protocol.v1.TouchRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PartitaClientTest {

    private FakeCluster fake;
    private FakeNode n1;
    private FakeNode n2;
    private final List<PartitaClient> clients = new ArrayList<>();

    private final Key k0 = FakeCluster.keyInGroup(0, "g0-");
    private final Key k1 = FakeCluster.keyInGroup(1, "g1-");

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeCluster();
        n1 = fake.addNode("n1");
        n2 = fake.addNode("n2");
        fake.publish(1, "n1", "n2");
    }

    @AfterEach
    void tearDown() {
        clients.forEach(PartitaClient::close);
        fake.close();
    }

    private PartitaClient connect() {
        // A generous connect timeout: the first connection of a JVM on a busy machine can take a second.
        return connect(ClientConfig.builder().seeds(fake.seed()).tendIntervalMs(60_000).connectTimeoutMs(5000));
    }

    /** Connects, then waits until every fake node was asked for its map (connect merges the others' views). */
    private PartitaClient connect(ClientConfig.Builder b) {
        PartitaClient c = PartitaClient.connect(b.build());
        clients.add(c);
        try {
            await(() -> fake.nodes.values().stream().allMatch(n -> n.mapFetches.get() > 0), 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return c;
    }

    private static Map<String, Object> bins(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void await(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + timeoutMs + " ms");
            }
            Thread.sleep(10);
        }
    }

    private static Policy timeout(long ms) {
        return Policy.builder().timeoutMs(ms).build();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    // ------------------------------------------------------------------------------------------ routing

    @Test
    void routesEachKeyToItsGroupLeader() {
        PartitaClient c = connect();
        assertEquals(1, c.put(k0, bins("a", 1)));
        assertEquals(1, c.put(k1, bins("a", 2)));
        assertEquals(1L, c.get(k0).getLong("a"));
        assertEquals(2L, c.get(k1).getLong("a"));
        assertTrue(c.exists(k0));
        assertEquals(2, c.touch(k1));
        assertTrue(c.delete(k0));

        assertEquals(1, n1.puts.get());
        assertEquals(1, n2.puts.get());
        assertEquals(1, n1.gets.get());
        assertEquals(1, n2.gets.get());
        assertEquals(1, n1.existsCalls.get());
        assertEquals(1, n2.touches.get());
        assertEquals(1, n1.deletes.get());
        assertEquals(0, n1.notLeaderAnswers.get() + n2.notLeaderAnswers.get());
    }

    @Test
    void notLeaderRefreshesTheMapAndRetriesOnTheNewLeader() {
        PartitaClient c = connect();
        fake.sendLeaderHints = false; // the client must learn the new leader from the map
        fake.publish(2, "n2", "n2");
        assertEquals(1, c.put(k0, bins("x", "y")));
        assertEquals(1, n1.puts.get());
        assertEquals(1, n1.notLeaderAnswers.get());
        assertEquals(1, n2.puts.get());
        assertEquals(2, c.clusterMapVersion());
        // The next call goes straight to the new leader.
        assertEquals("y", c.get(k0).getString("x"));
        assertEquals(0, n1.gets.get());
    }

    @Test
    void aNewLeaderReachesTheClientWithoutANewTopologyVersion() {
        fake.publish(fake.map(1, "n1", 1, "n2", 1));
        PartitaClient c = connect();
        fake.sendLeaderHints = false; // the client must learn the new leader from the map
        fake.publish(fake.map(1, "n2", 2, "n2", 1)); // election: same topology, higher term
        WritePolicy p = WritePolicy.builder().maxRetries(2).sleepBetweenRetriesMs(0).build();
        assertEquals(1, c.put(p, k0, bins("x", "y")));
        assertEquals(1, n1.puts.get());
        assertEquals(1, n2.puts.get());
        assertEquals(1, c.clusterMapVersion());
        assertEquals("y", c.get(k0).getString("x"));
        assertEquals(0, n1.gets.get()); // straight to the new leader
    }

    @Test
    void aNotLeaderHintUpdatesTheLeaderForLaterCalls() {
        PartitaClient c = connect();
        fake.truth.set(fake.map(1, "n2", "n2"));
        fake.served.set(fake.map(1, "", "n2")); // the maps know no leader of group 0: only the hint names n2
        assertEquals(1, c.put(k0, bins("x", 1)));
        assertEquals(1, n1.notLeaderAnswers.get());
        assertEquals(2, c.put(k0, bins("x", 2)));
        assertEquals(1, n1.notLeaderAnswers.get()); // the second put went to n2 directly
        assertEquals(2, n2.puts.get());
    }

    @Test
    void notLeaderHintIsFollowedEvenWhenTheServedMapIsStale() {
        PartitaClient c = connect();
        fake.truth.set(fake.map(2, "n2", "n2")); // served map stays at version 1
        assertEquals(1, c.put(k0, bins("x", 1)));
        assertEquals(1, n1.puts.get());
        assertEquals(1, n2.puts.get());
    }

    @Test
    void notLeaderRetriesAreBoundedByMaxRetries() {
        PartitaClient c = connect();
        fake.truth.set(fake.map(2, "n2", "n2"));
        fake.sendLeaderHints = false; // served map stays stale: every attempt hits n1
        WritePolicy p = WritePolicy.builder().maxRetries(2).sleepBetweenRetriesMs(0).timeoutMs(5000).build();
        PartitaException e = assertThrows(PartitaException.class, () -> c.put(p, k0, bins("x", 1)));
        assertEquals(ResultCode.NOT_LEADER, e.resultCode());
        assertFalse(e.inDoubt());
        assertEquals(3, n1.puts.get());
        assertTrue(e.getMessage().contains("n1 does not lead group 0"), e.getMessage());
    }

    @Test
    void noKnownLeaderWaitsUntilTheMapShowsOne() throws Exception {
        fake.publish(1, "", "n2");
        PartitaClient c = connect();
        long start = System.nanoTime();
        CompletableFuture<Integer> f = c.putAsync(WritePolicy.builder().timeoutMs(3000).build(), k0, bins("a", 1));
        Thread.sleep(200);
        assertFalse(f.isDone());
        assertEquals(0, n1.puts.get() + n2.puts.get()); // nothing sent without a leader
        fake.publish(2, "n1", "n2");
        assertEquals(1, f.get(3, TimeUnit.SECONDS));
        assertTrue(millisSince(start) >= 200);
        assertEquals(1, n1.puts.get());
    }

    @Test
    void noLeaderEverMeansTimeoutNotInDoubt() {
        fake.publish(1, "", "n2");
        PartitaClient c = connect();
        long start = System.nanoTime();
        PartitaException e = assertThrows(PartitaException.class,
            () -> c.put(WritePolicy.builder().timeoutMs(300).build(), k0, bins("a", 1)));
        long ms = millisSince(start);
        assertEquals(ResultCode.TIMEOUT, e.resultCode());
        assertFalse(e.inDoubt()); // nothing was ever sent
        assertTrue(ms >= 250 && ms < 2000, "took " + ms + " ms");
        assertTrue(e.getMessage().contains("no known leader"), e.getMessage());
        // Polling is rate-limited: a 300 ms wait makes a handful of map fetches, not hundreds.
        assertTrue(n1.mapFetches.get() < 15, "map fetches: " + n1.mapFetches.get());
    }

    @Test
    void refreshStormIsCoalesced() throws Exception {
        PartitaClient c = connect();
        for (FakeNode n : fake.nodes.values()) {
            n.mapFetches.set(0);
        }
        fake.sendLeaderHints = false;
        fake.publish(2, "n2", "n2");
        int calls = 40;
        CountDownLatch arrived = new CountDownLatch(calls);
        n1.onGet = r -> {
            arrived.countDown();
            try {
                arrived.await(5, TimeUnit.SECONDS); // answer all NOT_LEADERs together
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return GetResponse.newBuilder().setStatus(FakeCluster.status(ResultCode.NOT_LEADER, "moved")).build();
        };
        List<CompletableFuture<Record>> futures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            futures.add(c.getAsync(timeout(5000), k0));
        }
        for (CompletableFuture<Record> f : futures) {
            assertNull(f.get(5, TimeUnit.SECONDS)); // record absent: KEY_NOT_FOUND from n2
        }
        // Each refresh asks every node once.
        assertTrue(n1.mapFetches.get() >= 1 && n1.mapFetches.get() <= 3, "n1 map fetches after " + calls
            + " NOT_LEADERs: " + n1.mapFetches.get());
        assertTrue(n2.mapFetches.get() <= 3, "n2 map fetches: " + n2.mapFetches.get());
        assertEquals(calls, n2.gets.get());
    }

    @Test
    void aResponseFromANewerTopologyTriggersARefresh() throws Exception {
        PartitaClient c = connect();
        c.put(k0, bins("a", 1));
        int fetches = n1.mapFetches.get() + n2.mapFetches.get();
        n1.onGet = r -> GetResponse.newBuilder().setStatus(io.partita.protocol.v1.Status.newBuilder().setMapVersion(1))
            .setRecord(io.partita.protocol.v1.Record.newBuilder().setGeneration(1)).build();
        assertNotNull(c.get(k0)); // same version: no refresh
        Thread.sleep(100);
        assertEquals(fetches, n1.mapFetches.get() + n2.mapFetches.get());

        fake.publish(2, "n1", "n2");
        n1.onGet = r -> GetResponse.newBuilder().setStatus(io.partita.protocol.v1.Status.newBuilder().setMapVersion(2))
            .setRecord(io.partita.protocol.v1.Record.newBuilder().setGeneration(1)).build();
        assertNotNull(c.get(k0)); // answered at once; the refresh runs in the background
        await(() -> c.clusterMapVersion() == 2, 3000);
    }

    @Test
    void tendPicksUpNewMapsAndIgnoresOlderOnes() throws Exception {
        PartitaClient c = connect(ClientConfig.builder().seeds(fake.seed()).tendIntervalMs(50));
        fake.publish(5, "n2", "n2");
        await(() -> c.clusterMapVersion() == 5, 3000);
        c.put(k0, bins("a", 1));
        assertEquals(0, n1.puts.get()); // went straight to the new leader
        assertEquals(1, n2.puts.get());

        fake.served.set(fake.map(3, "n1", "n1")); // older version
        int before = n1.mapFetches.get() + n2.mapFetches.get();
        await(() -> n1.mapFetches.get() + n2.mapFetches.get() >= before + 3, 3000);
        assertEquals(5, c.clusterMapVersion());
    }

    @Test
    void mapRefreshFallsBackToOtherKnownNodes() throws Exception {
        PartitaClient c = connect(ClientConfig.builder().seeds(n1.address()).tendIntervalMs(50));
        n1.close(); // the only seed is gone; n2 is known from the map
        fake.publish(2, "n2", "n2");
        await(() -> c.clusterMapVersion() == 2, 5000);
        assertEquals(1, c.put(k0, bins("a", 1)));
    }

    @Test
    void leadersFromThePartialMapsOfSeveralNodesAreMerged() {
        // Each node knows only the leader of the group it hosts.
        n1.ownMap = fake.map(1, "n1", 3, "", 0);
        n2.ownMap = fake.map(1, "", 0, "n2", 5);
        PartitaClient c = connect(); // seed n1: its map names no leader of group 1
        assertEquals(1, c.put(k1, bins("a", 1)));
        assertEquals(1, c.put(k0, bins("a", 1)));
        assertEquals(1, n1.puts.get());
        assertEquals(1, n2.puts.get());
        assertEquals(0, n1.notLeaderAnswers.get() + n2.notLeaderAnswers.get());
    }

    @Test
    void aStaleNodeDoesNotHideANewerLeader() {
        fake.publish(fake.map(1, "n2", 3, "n2", 1));
        fake.sendLeaderHints = false;
        n1.ownMap = fake.map(1, "n1", 2, "n2", 1); // n1 missed the election of term 3
        PartitaClient c = connect();
        assertEquals(1, c.put(k0, bins("a", 1)));
        assertEquals(1, n2.puts.get());
        c.get(k0);
        c.get(k0);
        assertEquals(0, n1.gets.get()); // settled on the leader of the higher term
        assertEquals(2, n2.gets.get());
    }

    @Test
    void aPausedNodeDoesNotHoldUpTheRefresh() {
        PartitaClient c = connect(ClientConfig.builder().seeds(n2.address()).connectTimeoutMs(5000)
            .tendIntervalMs(60_000));
        n1.mapsHang = true; // n1, first in the map, is paused for map requests
        fake.sendLeaderHints = false;
        fake.publish(fake.map(1, "n2", 2, "n2", 0));
        long start = System.nanoTime();
        assertEquals(1, c.put(WritePolicy.builder().timeoutMs(3000).build(), k0, bins("a", 1)));
        long ms = millisSince(start);
        assertTrue(ms < 2000, "took " + ms + " ms");
        assertEquals(1, n2.puts.get());
    }

    @Test
    void lateMapAnswersAreStillMerged() throws Exception {
        PartitaClient c = connect(ClientConfig.builder().seeds(fake.seed()).connectTimeoutMs(5000)
            .tendIntervalMs(60_000));
        n2.mapDelayMs = 1200; // answers long after the refresh completed on n1's answer
        n2.ownMap = fake.map(1, "n2", 4, "n2", 0);
        fake.truth.set(n2.ownMap);
        fake.sendLeaderHints = false;
        long start = System.nanoTime();
        // n1's answer keeps naming itself (term 0): the put gives up before n2's view arrives...
        WritePolicy once = WritePolicy.builder().maxRetries(1).sleepBetweenRetriesMs(0).build();
        PartitaException e = assertThrows(PartitaException.class, () -> c.put(once, k0, bins("a", 1)));
        assertEquals(ResultCode.NOT_LEADER, e.resultCode());
        assertTrue(millisSince(start) < 1000, "n2 answered too early for this test");
        // ... and that view is merged when it comes, without another refresh.
        Thread.sleep(Math.max(0, 1700 - millisSince(start)));
        assertNull(c.get(Policy.builder().maxRetries(0).build(), k0));
        assertEquals(0, n1.gets.get());
        assertEquals(1, n2.gets.get());
    }

    // ------------------------------------------------------------------------------------------ replica reads

    private static final Policy ANY_REPLICA = Policy.builder().readMode(ReadMode.ANY_REPLICA).build();

    @Test
    void replicaReadsRotateOverTheReplicasAndAllowStaleAnswers() {
        PartitaClient c = connect();
        c.put(k0, bins("a", 1));
        for (int i = 0; i < 4; i++) {
            assertEquals(1L, c.get(ANY_REPLICA, k0).getLong("a"));
        }
        assertEquals(1, c.getHeader(ANY_REPLICA, k0).generation());
        assertEquals(5, n1.gets.get() + n2.gets.get());
        assertTrue(n1.gets.get() >= 2 && n2.gets.get() >= 2, n1.gets.get() + " / " + n2.gets.get());
        for (FakeNode n : List.of(n1, n2)) {
            for (Object r : n.requests) {
                if (r instanceof GetRequest) {
                    assertTrue(((GetRequest) r).getAllowReplicaRead());
                }
            }
        }
        assertEquals(0, n1.notLeaderAnswers.get() + n2.notLeaderAnswers.get());
    }

    @Test
    void linearizableReadsAndExistsGoToTheLeaderWithoutTheFlag() {
        PartitaClient c = connect();
        c.put(k0, bins("a", 1));
        c.get(k0);
        c.getHeader(Policy.defaults(), k0);
        assertTrue(c.exists(ANY_REPLICA, k0)); // exists has no replica mode
        assertEquals(2, n1.gets.get());
        assertEquals(1, n1.existsCalls.get());
        assertEquals(0, n2.totalCalls());
        assertFalse(((GetRequest) n1.requests.get(1)).getAllowReplicaRead());
    }

    @Test
    void aReplicaReadThatFailsMovesOnToAnotherReplica() {
        PartitaClient c = connect();
        c.put(k0, bins("a", 1));
        n2.onGet = r -> {
            throw Status.UNAVAILABLE.withDescription("replica down").asRuntimeException();
        };
        Policy noPause = ANY_REPLICA.toBuilder().maxRetries(1).sleepBetweenRetriesMs(0).build();
        for (int i = 0; i < 4; i++) {
            assertEquals(1L, c.get(noPause, k0).getLong("a"));
        }
        assertEquals(4, n1.gets.get());
        assertTrue(n2.gets.get() >= 1, "n2 gets: " + n2.gets.get());
    }

    @Test
    void replicaReadsAnswerWhileTheGroupHasNoLeader() {
        fake.publish(fake.map(1, "n1", 1, "n2", 1));
        PartitaClient c = connect();
        c.put(k0, bins("a", 1));
        fake.publish(fake.map(1, "", 2, "n2", 1)); // election of term 2 in progress
        PartitaException e = assertThrows(PartitaException.class, () -> c.get(timeout(300), k0));
        assertEquals(ResultCode.TIMEOUT, e.resultCode()); // a linearizable read waits for a leader
        assertEquals(1L, c.get(ANY_REPLICA, k0).getLong("a"));
    }

    @Test
    void replicaReadsGoToTheLeaderWhenNoReplicaIsKnown() {
        io.partita.protocol.v1.ClusterMap m = fake.map(1, "n1", "n2");
        io.partita.protocol.v1.ClusterMap.Builder b = m.toBuilder();
        for (int g = 0; g < 2; g++) {
            b.setGroups(g, m.getGroups(g).toBuilder().clearReplicaNodeIds());
        }
        fake.publish(b.build());
        PartitaClient c = connect();
        c.put(k0, bins("a", 1));
        for (int i = 0; i < 3; i++) {
            assertEquals(1L, c.get(ANY_REPLICA, k0).getLong("a"));
        }
        assertEquals(3, n1.gets.get());
        assertEquals(0, n2.gets.get());
    }

    // ------------------------------------------------------------------------------------------ retry safety

    @Test
    void writeIsNotRetriedAfterTransportFailureAndIsInDoubt() {
        PartitaClient c = connect();
        n1.onPut = r -> {
            throw Status.UNAVAILABLE.withDescription("connection reset by peer").asRuntimeException();
        };
        PartitaException e = assertThrows(PartitaException.class, () -> c.put(k0, bins("a", 1)));
        assertEquals(ResultCode.IN_DOUBT, e.resultCode());
        assertTrue(e.inDoubt());
        assertEquals(1, n1.puts.get());
        assertEquals(0, n2.puts.get());
        assertTrue(e.getMessage().contains("may or may not"), e.getMessage());

        n1.onDelete = r -> {
            throw Status.UNAVAILABLE.asRuntimeException();
        };
        e = assertThrows(PartitaException.class, () -> c.delete(k0));
        assertEquals(ResultCode.IN_DOUBT, e.resultCode());
        assertEquals(1, n1.deletes.get());

        n1.onTouch = (TouchRequest r) -> {
            throw Status.INTERNAL.withDescription("stream reset").asRuntimeException();
        };
        e = assertThrows(PartitaException.class, () -> c.touch(k0));
        assertEquals(ResultCode.IN_DOUBT, e.resultCode());
        assertEquals(1, n1.touches.get());
    }

    /** Asserts that {@code call} fails with {@code code} and in doubt; returns the exception. */
    private static PartitaException assertFailsInDoubt(ResultCode code, Executable call) {
        PartitaException e = assertThrows(PartitaException.class, call);
        assertEquals(code, e.resultCode(), e.getMessage());
        assertTrue(e.inDoubt(), e.getMessage());
        return e;
    }

    private static void assertFirstAttemptMayHaveApplied(PartitaException e) {
        assertTrue(e.getMessage().contains("may have been the one that applied"), e.getMessage());
    }

    private static io.partita.protocol.v1.Status inDoubtStatus() {
        return FakeCluster.status(ResultCode.IN_DOUBT, "leadership changed while the write was in flight");
    }

    @Test
    void serverInDoubtIsInDoubtAndAPlainWriteIsNotResent() {
        PartitaClient c = connect();
        n1.onPut = r -> PutResponse.newBuilder().setStatus(inDoubtStatus()).build();
        PartitaException e = assertFailsInDoubt(ResultCode.IN_DOUBT, () -> c.put(k0, bins("a", 1)));
        assertTrue(e.getMessage().contains("leadership changed"), e.getMessage());
        assertEquals(1, n1.puts.get());
    }

    @Test
    void compareAndSetWriteIsResentAfterServerInDoubtAndSucceeds() {
        PartitaClient c = connect();
        c.put(k0, bins("a", 1));
        n1.onPut = r -> {
            n1.onPut = null; // not applied; the next attempt is served normally
            return PutResponse.newBuilder().setStatus(inDoubtStatus()).build();
        };
        assertEquals(2, c.put(WritePolicy.builder().expectedGeneration(1).build(), k0, bins("a", 2)));
        assertEquals(3, n1.puts.get());
        assertEquals(2L, c.get(k0).getLong("a"));
    }

    @Test
    void compareAndSetPutThatAppliedBeforeContactWasLostReportsGenerationErrorInDoubt() {
        PartitaClient c = connect();
        c.put(k0, bins("a", 1));
        n1.onPut = r -> {
            n1.onPut = null;
            n1.defaultPut(r); // applied...
            throw Status.UNAVAILABLE.withDescription("connection reset by peer").asRuntimeException(); // ...answer lost
        };
        PartitaException e = assertFailsInDoubt(ResultCode.GENERATION_ERROR,
            () -> c.put(WritePolicy.builder().expectedGeneration(1).build(), k0, bins("a", 2)));
        assertFirstAttemptMayHaveApplied(e);
        assertTrue(e.getMessage().contains("connection reset by peer"), e.getMessage());
        assertEquals(3, n1.puts.get());
    }

    @Test
    void compareAndSetDeleteAndTouchAreResentAfterAmbiguousOutcomes() {
        PartitaClient c = connect();
        c.put(k0, bins("a", 1));
        WritePolicy gen1 = WritePolicy.builder().expectedGeneration(1).build();
        n1.onTouch = r -> {
            n1.onTouch = null;
            n1.defaultTouch(r);
            throw Status.INTERNAL.withDescription("stream reset").asRuntimeException();
        };
        PartitaException e = assertFailsInDoubt(ResultCode.GENERATION_ERROR, () -> c.touch(gen1, k0));
        assertFirstAttemptMayHaveApplied(e);
        assertEquals(2, n1.touches.get());

        WritePolicy gen2 = WritePolicy.builder().expectedGeneration(2).build();
        n1.onDelete = r -> {
            n1.onDelete = null;
            n1.defaultDelete(r);
            return io.partita.protocol.v1.DeleteResponse.newBuilder().setStatus(inDoubtStatus()).build();
        };
        // The retry finds no record: not "did not exist" but in doubt, since the first attempt may have deleted it.
        e = assertFailsInDoubt(ResultCode.KEY_NOT_FOUND, () -> c.delete(gen2, k0));
        assertFirstAttemptMayHaveApplied(e);
        assertEquals(2, n1.deletes.get());
    }

    @Test
    void compareAndSetResendsAreBoundedAndEveryLaterFailureIsInDoubt() {
        PartitaClient c = connect();
        c.put(k0, bins("a", 1));
        WritePolicy p = WritePolicy.builder().expectedGeneration(1).maxRetries(2).sleepBetweenRetriesMs(0).build();
        n1.onPut = r -> PutResponse.newBuilder().setStatus(inDoubtStatus()).build();
        assertFailsInDoubt(ResultCode.IN_DOUBT, () -> c.put(p, k0, bins("a", 2)));
        assertEquals(4, n1.puts.get()); // 1 + 1 first attempt + 2 retries

        // An ambiguous attempt, then NOT_LEADER until the retries run out: still in doubt.
        n1.onPut = r -> {
            n1.onPut = q -> PutResponse.newBuilder().setStatus(FakeCluster.status(ResultCode.NOT_LEADER, "moved"))
                .build();
            return PutResponse.newBuilder().setStatus(inDoubtStatus()).build();
        };
        WritePolicy once = p.toBuilder().maxRetries(1).build();
        PartitaException e = assertFailsInDoubt(ResultCode.NOT_LEADER, () -> c.put(once, k0, bins("a", 2)));
        assertFirstAttemptMayHaveApplied(e);
    }

    @Test
    void writeToANodeThatDiesMidCallIsInDoubt() {
        PartitaClient c = connect();
        n1.onPut = r -> {
            n1.server.shutdownNow(); // connection torn down with the write in flight
            return null;
        };
        PartitaException e = assertThrows(PartitaException.class, () -> c.put(k0, bins("a", 1)));
        assertEquals(ResultCode.IN_DOUBT, e.resultCode(), e.getMessage());
        assertTrue(e.inDoubt());
        assertEquals(1, n1.puts.get());
        assertEquals(0, n2.puts.get());
    }

    @Test
    void writeThatCouldNotConnectIsRetriedBecauseNothingWasSent() {
        fake.extraNodes.put("dead", "127.0.0.1:" + FakeCluster.closedPort());
        fake.publish(1, "dead", "n2");
        PartitaClient c = connect();
        fake.publish(2, "n1", "n2");
        assertEquals(1, c.put(k0, bins("a", 1)));
        assertEquals(1, n1.puts.get());
    }

    @Test
    void readIsRetriedAfterTransportFailure() {
        PartitaClient c = connect();
        c.put(k0, bins("a", 7));
        n1.onGet = new java.util.function.Function<>() {
            int n;

            @Override
            public GetResponse apply(GetRequest r) {
                if (n++ == 0) {
                    throw Status.UNAVAILABLE.withDescription("blip").asRuntimeException();
                }
                return GetResponse.newBuilder().setStatus(FakeCluster.OK)
                    .setRecord(io.partita.protocol.v1.Record.newBuilder().setGeneration(1)).build();
            }
        };
        Record r = c.get(k0);
        assertNotNull(r);
        assertEquals(2, n1.gets.get());
    }

    @Test
    void readRetriesOnTransportFailureAreBounded() {
        PartitaClient c = connect();
        n1.onExists = r -> {
            throw Status.UNAVAILABLE.withDescription("down").asRuntimeException();
        };
        Policy p = Policy.builder().maxRetries(2).sleepBetweenRetriesMs(1).build();
        PartitaException e = assertThrows(PartitaException.class, () -> c.exists(p, k0));
        assertEquals(ResultCode.SERVER_ERROR, e.resultCode());
        assertFalse(e.inDoubt());
        assertEquals(3, n1.existsCalls.get());
    }

    // ------------------------------------------------------------------------------------------ time budget

    @Test
    void readTimeoutRespectsTheBudget() {
        PartitaClient c = connect();
        n1.onGet = r -> null; // never answers
        long start = System.nanoTime();
        PartitaException e = assertThrows(PartitaException.class, () -> c.get(timeout(200), k0));
        long ms = millisSince(start);
        assertEquals(ResultCode.TIMEOUT, e.resultCode());
        assertFalse(e.inDoubt());
        assertTrue(ms >= 150 && ms < 1000, "took " + ms + " ms");
    }

    @Test
    void aReadMovesOnFromALeaderThatStopsAnswering() {
        PartitaClient c = connect();
        assertEquals(1, c.put(k0, bins("a", 7)));
        n1.onGet = r -> null; // the leader is paused: requests and map fetches go unanswered
        n1.mapsHang = true;
        fake.sendLeaderHints = false;
        fake.publish(fake.map(1, "n2", 2, "n2", 1)); // the others elected n2
        long start = System.nanoTime();
        Record r = c.get(Policy.builder().timeoutMs(5000).attemptTimeoutMs(200).build(), k0);
        long ms = millisSince(start);
        assertEquals(7L, r.getLong("a"));
        assertTrue(ms >= 150 && ms < 2000, "took " + ms + " ms");
        assertEquals(1, n1.gets.get());
        assertEquals(1, n2.gets.get());
    }

    @Test
    void aPlainWriteWaitsForItsAnswerWhileACompareAndSetWriteMovesOn() {
        PartitaClient c = connect();
        assertEquals(1, c.put(k0, bins("a", 1)));
        n1.onPut = r -> null;
        n1.mapsHang = true;
        fake.sendLeaderHints = false;
        fake.publish(fake.map(1, "n2", 2, "n2", 1));
        long start = System.nanoTime();
        PartitaException e = assertThrows(PartitaException.class, () -> c.put(WritePolicy.builder().timeoutMs(600)
            .attemptTimeoutMs(100).build(), k0, bins("a", 2)));
        long ms = millisSince(start);
        assertEquals(ResultCode.TIMEOUT, e.resultCode());
        assertTrue(e.inDoubt());
        assertTrue(ms >= 500, "a write that may apply is not given up on early: " + ms + " ms");
        assertEquals(2, n1.puts.get());
        assertEquals(0, n2.puts.get());

        assertEquals(2, c.put(WritePolicy.builder().timeoutMs(5000).attemptTimeoutMs(100).expectedGeneration(1)
            .build(), k0, bins("a", 3)));
        assertEquals(3, n1.puts.get());
        assertEquals(1, n2.puts.get());
    }

    @Test
    void writeTimeoutIsInDoubt() {
        PartitaClient c = connect();
        n1.onPut = r -> null;
        long start = System.nanoTime();
        PartitaException e = assertThrows(PartitaException.class,
            () -> c.put(WritePolicy.builder().timeoutMs(200).build(), k0, bins("a", 1)));
        long ms = millisSince(start);
        assertEquals(ResultCode.TIMEOUT, e.resultCode());
        assertTrue(e.inDoubt());
        assertTrue(ms < 1000, "took " + ms + " ms");
        assertEquals(1, n1.puts.get());
    }

    @Test
    void retriesStopWhenTheBudgetRunsOut() {
        PartitaClient c = connect();
        fake.truth.set(fake.map(2, "n2", "n2"));
        fake.sendLeaderHints = false;
        Policy p = Policy.builder().timeoutMs(300).maxRetries(1000).sleepBetweenRetriesMs(20).build();
        long start = System.nanoTime();
        PartitaException e = assertThrows(PartitaException.class, () -> c.get(p, k0));
        long ms = millisSince(start);
        assertEquals(ResultCode.TIMEOUT, e.resultCode());
        assertTrue(ms < 1500, "took " + ms + " ms");
        assertTrue(n1.gets.get() > 1 && n1.gets.get() < 100, "attempts: " + n1.gets.get());
    }

    // ------------------------------------------------------------------------------------------ results

    @Test
    void keyNotFoundMapping() {
        PartitaClient c = connect();
        Key absent = new Key(FakeCluster.NAMESPACE, "s", "absent");
        assertNull(c.get(absent));
        assertNull(c.getHeader(absent));
        assertFalse(c.exists(absent));
        assertFalse(c.delete(absent));
        PartitaException e = assertThrows(PartitaException.class, () -> c.touch(absent));
        assertEquals(ResultCode.KEY_NOT_FOUND, e.resultCode());
        assertTrue(e.getMessage().contains("no such record"), e.getMessage());
        e = assertThrows(PartitaException.class, () -> c.put(
            WritePolicy.builder().existsAction(RecordExistsAction.UPDATE_ONLY).build(), absent, bins("a", 1)));
        assertEquals(ResultCode.KEY_NOT_FOUND, e.resultCode());
    }

    @Test
    void serverCodesBecomeTypedExceptionsWithTheServerMessage() {
        PartitaClient c = connect();
        WritePolicy createOnly = WritePolicy.builder().existsAction(RecordExistsAction.CREATE_ONLY).build();
        c.put(createOnly, k0, bins("a", 1));
        PartitaException e = assertThrows(PartitaException.class, () -> c.put(createOnly, k0, bins("a", 2)));
        assertEquals(ResultCode.KEY_EXISTS, e.resultCode());
        assertFalse(e.inDoubt());
        assertTrue(e.getMessage().contains("record exists (generation 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("n1"), e.getMessage());

        WritePolicy gen5 = WritePolicy.builder().expectedGeneration(5).build();
        e = assertThrows(PartitaException.class, () -> c.put(gen5, k0, bins("a", 3)));
        assertEquals(ResultCode.GENERATION_ERROR, e.resultCode());
        e = assertThrows(PartitaException.class, () -> c.delete(gen5, k0));
        assertEquals(ResultCode.GENERATION_ERROR, e.resultCode());
        assertTrue(c.delete(WritePolicy.builder().expectedGeneration(1).build(), k0));

        e = assertThrows(PartitaException.class, () -> c.put(k0, bins("a-bin-name-of-21-byte", 1)));
        assertEquals(ResultCode.BIN_NAME_TOO_LONG, e.resultCode());
        assertTrue(e.getMessage().contains("bin name 'a-bin-name-of-21-byte' is 21 bytes"), e.getMessage());

        Key otherNs = new Key("nope", "s", k0.userKey().toString());
        e = assertThrows(PartitaException.class, () -> c.get(otherNs));
        assertEquals(ResultCode.NAMESPACE_NOT_FOUND, e.resultCode());

        n1.onGet = r -> GetResponse.newBuilder().setStatus(
            io.partita.protocol.v1.Status.newBuilder().setCode(77).setMessage("from the future")).build();
        e = assertThrows(PartitaException.class, () -> c.get(k0));
        assertEquals(ResultCode.SERVER_ERROR, e.resultCode());
        assertTrue(e.getMessage().contains("77") && e.getMessage().contains("from the future"), e.getMessage());
    }

    @Test
    void roundTripOfValuesAndPolicies() {
        PartitaClient c = connect();
        Map<String, Object> in = bins("l", 5, "d", 1.5, "s", "str", "b", new byte[] {1, 2}, "t", true,
            "list", List.of(1, "x"), "map", Map.of("k", 2L));
        WritePolicy p = WritePolicy.builder().existsAction(RecordExistsAction.REPLACE).ttlSeconds(100).build();
        assertEquals(1, c.put(p, k1, in));
        PutRequest sent = (PutRequest) n2.requests.get(0);
        assertEquals(io.partita.protocol.v1.RecordExistsAction.REPLACE, sent.getOptions().getExistsAction());
        assertEquals(100, sent.getOptions().getTtlSeconds());
        assertEquals(FakeCluster.NAMESPACE, sent.getKey().getNamespace());
        assertEquals(k1.userKey(), sent.getKey().getStringKey());

        Record r = c.get(k1);
        assertEquals(1, r.generation());
        assertTrue(r.voidTimeMs() > System.currentTimeMillis());
        assertEquals(5L, r.getLong("l"));
        assertEquals(1.5, r.getDouble("d"));
        assertEquals("str", r.getString("s"));
        assertArrayEquals(new byte[] {1, 2}, r.getBytes("b"));
        assertEquals(true, r.getBoolean("t"));
        assertEquals(List.of(1L, "x"), r.getList("list"));
        assertEquals(Map.of("k", 2L), r.getMap("map"));
        assertEquals(List.of("l", "d", "s", "b", "t", "list", "map"), new ArrayList<>(r.bins().keySet()));

        Record some = c.get(null, k1, "s", "t");
        assertEquals(List.of("s", "t"), new ArrayList<>(some.bins().keySet()));
        GetRequest getReq = (GetRequest) n2.requests.get(2);
        assertEquals(List.of("s", "t"), getReq.getBinNamesList());

        Record header = c.getHeader(k1);
        assertTrue(header.bins().isEmpty());
        assertEquals(1, header.generation());

        WritePolicy never = WritePolicy.builder().ttlSeconds(WritePolicy.TTL_NEVER_EXPIRE).build();
        assertEquals(2, c.touch(never, k1));
        assertEquals(-1, ((TouchRequest) n2.requests.get(4)).getOptions().getTtlSeconds());
        assertEquals(0, c.get(k1).voidTimeMs());

        // A null bin value removes the bin.
        Map<String, Object> remove = new LinkedHashMap<>();
        remove.put("s", null);
        c.put(k1, remove);
        assertFalse(c.get(k1).bins().containsKey("s"));
    }

    @Test
    void asyncApiCompletes() throws Exception {
        PartitaClient c = connect();
        assertEquals(1, c.putAsync(k0, bins("a", 1)).get(2, TimeUnit.SECONDS));
        assertEquals(2, c.putAsync(WritePolicy.defaults(), k0, bins("b", 2)).get(2, TimeUnit.SECONDS));
        Record r = c.getAsync(k0).get(2, TimeUnit.SECONDS);
        assertEquals(Map.of("a", 1L, "b", 2L), r.bins());
        assertEquals(Map.of("b", 2L), c.getAsync(null, k0, "b").get(2, TimeUnit.SECONDS).bins());
        assertEquals(2, c.getHeaderAsync(k0).get(2, TimeUnit.SECONDS).generation());
        assertTrue(c.existsAsync(k0).get(2, TimeUnit.SECONDS));
        assertEquals(3, c.touchAsync(k0).get(2, TimeUnit.SECONDS));
        assertTrue(c.deleteAsync(k0).get(2, TimeUnit.SECONDS));
        assertFalse(c.existsAsync(k0).get(2, TimeUnit.SECONDS));
        assertNull(c.getAsync(k0).get(2, TimeUnit.SECONDS));

        ExecutionException e = assertThrows(ExecutionException.class,
            () -> c.touchAsync(k0).get(2, TimeUnit.SECONDS));
        PartitaException pe = assertInstanceOf(PartitaException.class, e.getCause());
        assertEquals(ResultCode.KEY_NOT_FOUND, pe.resultCode());
    }

    @Test
    void invalidInputIsRejectedBeforeSending() {
        PartitaClient c = connect();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> c.put(k0, bins("bad", new Object())));
        assertTrue(e.getMessage().contains("java.lang.Object") && e.getMessage().contains("'bad'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.putAsync(k0, bins("bad", new StringBuilder())));
        assertThrows(IllegalArgumentException.class, () -> c.get(null));
        assertThrows(IllegalArgumentException.class, () -> c.put(k0, null));
        assertThrows(IllegalArgumentException.class, () -> c.get(null, k0, (String) null));
        assertEquals(0, n1.totalCalls() + n2.totalCalls());
    }

    // ------------------------------------------------------------------------------------------ connections

    @Test
    void requestsUseConnectionsPerNodeConnectionsInTurn() throws Exception {
        PartitaClient pooled = connect(ClientConfig.builder().seeds(fake.seed()).tendIntervalMs(60_000)
            .connectTimeoutMs(5000).connectionsPerNode(3));
        for (int i = 0; i < 6; i++) {
            pooled.exists(k0);
        }
        assertEquals(3, n1.peers.size(), n1.peers.toString());
        List<CompletableFuture<Boolean>> concurrent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            concurrent.add(pooled.existsAsync(k1));
        }
        for (CompletableFuture<Boolean> f : concurrent) {
            assertFalse(f.get(5, TimeUnit.SECONDS));
        }
        assertEquals(3, n2.peers.size(), n2.peers.toString());

        fake.close();
        fake = new FakeCluster();
        n1 = fake.addNode("n1");
        n2 = fake.addNode("n2");
        fake.publish(1, "n1", "n2");
        PartitaClient single = connect();
        for (int i = 0; i < 6; i++) {
            single.exists(k0);
        }
        assertEquals(1, n1.peers.size(), n1.peers.toString()); // the default: one connection, requests multiplexed
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Test
    void connectWithNoReachableSeedFailsFast() {
        String a = "127.0.0.1:" + FakeCluster.closedPort();
        String b = "127.0.0.1:" + FakeCluster.closedPort();
        long start = System.nanoTime();
        PartitaException e = assertThrows(PartitaException.class, () -> PartitaClient.connect(a, b));
        long ms = millisSince(start);
        assertTrue(ms < 2000, "took " + ms + " ms");
        assertTrue(e.getMessage().contains(a) && e.getMessage().contains(b), e.getMessage());
        assertTrue(e.getMessage().contains("Check that the seeds"), e.getMessage());
        assertFalse(e.inDoubt());
    }

    @Test
    void connectSkipsDeadSeeds() {
        String dead = "127.0.0.1:" + FakeCluster.closedPort();
        PartitaClient c = connect(ClientConfig.builder().seeds(dead, n2.address()));
        assertEquals(1, c.clusterMapVersion());
        assertEquals(1, n2.mapFetches.get());
    }

    @Test
    void closeFailsPendingCallsAndRejectsNewOnes() throws Exception {
        PartitaClient c = connect();
        n1.onGet = r -> null;
        n1.onPut = r -> null;
        CompletableFuture<Record> read = c.getAsync(timeout(10_000), k0);
        CompletableFuture<Integer> write = c.putAsync(WritePolicy.builder().timeoutMs(10_000).build(), k0,
            bins("a", 1));
        await(() -> n1.gets.get() == 1 && n1.puts.get() == 1, 2000);
        c.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> write.get(2, TimeUnit.SECONDS));
        PartitaException pe = assertInstanceOf(PartitaException.class, e.getCause());
        assertEquals(ResultCode.IN_DOUBT, pe.resultCode());
        assertTrue(pe.inDoubt());
        e = assertThrows(ExecutionException.class, () -> read.get(2, TimeUnit.SECONDS));
        assertFalse(assertInstanceOf(PartitaException.class, e.getCause()).inDoubt());
        assertThrows(IllegalStateException.class, () -> c.get(k0));
        c.close(); // idempotent
    }

    @Test
    void clientThreadsAreDaemons() {
        connect();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("partita-client-")) {
                assertTrue(t.isDaemon(), t.getName());
            }
        }
    }
}
