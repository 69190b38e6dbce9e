package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Record;
import io.partita.client.WritePolicy;
import io.partita.engine.time.Clock;
import io.partita.protocol.ResultCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compare-and-set under contention: writers race on one record; each generation has exactly one winner. */
class ConcurrentCasTest {
    @TempDir
    Path dir;

    @Test
    void exactlyOneWinnerPerGeneration() throws Exception {
        try (Node node = TestNodes.startReady(TestNodes.config(dir), Clock.SYSTEM);
             PartitaClient client = PartitaClient.connect(node.clientAddress())) {
            Key key = new Key("test", "cas", "counter");
            client.put(key, Map.of("count", 0L));
            int writers = 8;
            int attemptsEach = 60;
            Map<Integer, String> winnerOfGeneration = new ConcurrentHashMap<>();
            AtomicInteger duplicateWinners = new AtomicInteger();
            AtomicInteger lost = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String name = "writer-" + w;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < attemptsEach; i++) {
                        Record r = client.get(key);
                        long count = r.getLong("count");
                        WritePolicy cas = WritePolicy.builder().expectedGeneration(r.generation()).build();
                        try {
                            int newGeneration = client.put(cas, key, Map.of("count", count + 1));
                            if (winnerOfGeneration.putIfAbsent(newGeneration, name) != null) {
                                duplicateWinners.incrementAndGet();
                            }
                        } catch (PartitaException e) {
                            assertEquals(ResultCode.GENERATION_ERROR, e.resultCode(), e.getMessage());
                            lost.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();

            int wins = winnerOfGeneration.size();
            Record last = client.get(key);
            assertEquals(0, duplicateWinners.get(), "two writers won the same generation");
            assertEquals(writers * attemptsEach, wins + lost.get());
            assertTrue(lost.get() > 0, "the race should produce conflicts");
            assertEquals(1 + wins, last.generation());
            assertEquals((long) wins, last.getLong("count"), "every successful CAS increment is kept, none lost");
            for (int g = 2; g <= 1 + wins; g++) {
                assertTrue(winnerOfGeneration.containsKey(g), "generation " + g + " has a winner");
            }
            assertNull(winnerOfGeneration.get(1), "generation 1 was the initial put");
        }
    }
}
