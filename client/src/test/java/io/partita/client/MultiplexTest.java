package io.partita.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.partita.client.FakeCluster.FakeNode;
import io.partita.protocol.ResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's Multiplex transport against fake nodes: how operations are packed into frames, and stream failures. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultiplexTest {

    private FakeCluster fake;
    private FakeNode n1;
    private final List<PartitaClient> clients = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeCluster();
        n1 = fake.addNode("n1");
        fake.addNode("n2");
        fake.publish(1, "n1", "n2");
    }

    @AfterEach
    void tearDown() {
        clients.forEach(PartitaClient::close);
        fake.close();
    }

    private PartitaClient connect(boolean multiplex) {
        PartitaClient c = PartitaClient.connect(ClientConfig.builder().seeds(fake.seed()).tendIntervalMs(60_000)
            .connectTimeoutMs(5000).multiplex(multiplex).build());
        clients.add(c);
        return c;
    }

    private static void await(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + timeoutMs + " ms");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aLoneOperationLeavesAtOnceInAFrameOfItsOwn() throws Exception {
        PartitaClient c = connect(true);
        n1.onPut = r -> null; // never answered: nothing else will follow it, so only a timer could hold it back
        CompletableFuture<Integer> f = c.putAsync(WritePolicy.builder().timeoutMs(20_000).build(),
            FakeCluster.keyInGroup(0, "lone-"), Map.of("a", 1L));
        await(() -> !n1.frameSizes.isEmpty(), 5000);
        assertEquals(List.of(1), n1.frameSizes);
        assertEquals(1, n1.puts.get());
        assertFalse(f.isDone());
    }

    @Test
    void concurrentOperationsShareFramesAndEachGetsItsOwnResult() throws Exception {
        PartitaClient c = connect(true);
        // A warm-up put opens the stream; then the node stops reading while 8 threads send 64 KiB writes: the
        // transport fills up, so operations queue at the client and must leave several per frame.
        assertEquals(1, c.put(null, FakeCluster.keyInGroup(0, "warm-"), Map.of("a", 1L)));
        n1.frameSizes.clear();
        n1.frameGate = new CountDownLatch(1);
        int threads = 8;
        int perThread = 40;
        byte[] blob = new byte[64 * 1024];
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<List<CompletableFuture<Integer>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(CompletableFuture.supplyAsync(() -> {
                    List<CompletableFuture<Integer>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(c.putAsync(WritePolicy.builder().timeoutMs(30_000).build(),
                            FakeCluster.keyInGroup(0, "t" + thread + "-" + i + "-"), Map.of("b", blob)));
                    }
                    return mine;
                }, pool));
            }
            for (CompletableFuture<List<CompletableFuture<Integer>>> s : submitted) {
                results.addAll(s.get(20, TimeUnit.SECONDS));
            }
        } finally {
            n1.frameGate.countDown();
            pool.shutdown();
        }
        for (CompletableFuture<Integer> r : results) {
            assertEquals(1, r.get(20, TimeUnit.SECONDS)); // every key is new: generation 1, each its own answer
        }
        int ops = n1.frameSizes.stream().mapToInt(Integer::intValue).sum();
        assertEquals(threads * perThread, ops);
        int largest = n1.frameSizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        assertTrue(largest > 1, "no frame carried more than one operation: " + n1.frameSizes);
        assertTrue(n1.frameSizes.size() < ops, "as many frames as operations: " + n1.frameSizes);
    }

    @Test
    void aFailedStreamFailsEveryWriteInFlightOnItInDoubtAndTheNextOperationsUseANewStream() throws Exception {
        PartitaClient c = connect(true);
        Key hung = FakeCluster.keyInGroup(0, "hung-");
        Key breaker = FakeCluster.keyInGroup(0, "breaker-");
        n1.onPut = r -> {
            if (r.getKey().getStringKey().equals(breaker.userKey())) {
                throw Status.UNAVAILABLE.withDescription("connection reset by peer").asRuntimeException();
            }
            return null;
        };
        WritePolicy once = WritePolicy.builder().timeoutMs(20_000).maxRetries(0).build();
        CompletableFuture<Integer> inFlight = c.putAsync(once, hung, Map.of("a", 1L));
        await(() -> n1.puts.get() == 1, 5000);
        long start = System.nanoTime();
        PartitaException broke = assertThrows(PartitaException.class, () -> c.put(once, breaker, Map.of("a", 1L)));
        assertEquals(ResultCode.IN_DOUBT, broke.resultCode());
        ExecutionException e = assertThrows(ExecutionException.class, () -> inFlight.get(5, TimeUnit.SECONDS));
        PartitaException other = assertInstanceOf(PartitaException.class, e.getCause());
        assertEquals(ResultCode.IN_DOUBT, other.resultCode(), other.getMessage());
        assertTrue(other.inDoubt());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 10_000, "waited for the deadline");
        n1.onPut = null;
        assertEquals(1, c.put(once, FakeCluster.keyInGroup(0, "after-"), Map.of("a", 1L)));
    }

    @Test
    void aWriteToANodeThatDiedSinceItsStreamOpenedIsNotSentAndIsRetriedElsewhere() throws Exception {
        PartitaClient c = connect(true);
        Key k0 = FakeCluster.keyInGroup(0, "g0-");
        assertEquals(1, c.put(null, k0, Map.of("a", 1L))); // n1's stream is open
        n1.close(); // the node dies: its stream breaks and its port refuses connections
        // Let the client see the stream break first: a write that went out on the broken stream before the client
        // noticed would rightly be in doubt (as a unary call sent just before a connection broke).
        Thread.sleep(300);
        fake.publish(2, "n2", "n2"); // n2 now leads group 0; the client learns it when it refreshes
        WritePolicy p = WritePolicy.builder().timeoutMs(10_000).maxRetries(5).sleepBetweenRetriesMs(10).build();
        // The first attempt goes to n1 (the client's map is old) and cannot be sent: a re-send is safe, and n2
        // applies it (the fake nodes share one store: generation 2). Reported in doubt, it would have been a wrongly
        // ambiguous write.
        assertEquals(2, c.put(p, k0, Map.of("a", 2L)));
    }

    @Test
    void withMultiplexOffEveryOperationIsItsOwnUnaryCall() {
        PartitaClient c = connect(false);
        for (int i = 0; i < 5; i++) {
            assertEquals(1, c.put(null, FakeCluster.keyInGroup(0, "u" + i + "-"), Map.of("a", 1L)));
        }
        assertEquals(5, n1.puts.get());
        assertTrue(n1.frameSizes.isEmpty(), "frames were sent: " + n1.frameSizes);
    }
}
