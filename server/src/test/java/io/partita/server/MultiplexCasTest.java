package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.ClientConfig;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compare-and-set over one multiplexed connection: many threads race on a few keys through one client whose
 * operations share one Multiplex stream. Every success must own a unique generation of its key, the final generation
 * must count the successes, and no increment may be lost.
 */
class MultiplexCasTest {
    private static final Logger LOG = LoggerFactory.getLogger(MultiplexCasTest.class);

    @TempDir
    Path dir;

    @Test
    void everyCompareAndSetSuccessOwnsOneGenerationAndNoneIsLost() throws Exception {
        try (Node node = TestNodes.startReady(TestNodes.config(dir), Clock.SYSTEM);
             PartitaClient client = PartitaClient.connect(ClientConfig.builder().seeds(node.clientAddress())
                     .connectionsPerNode(1).multiplex(true).build())) {
            List<Key> keys = List.of(new Key("test", "mcas", "a"), new Key("test", "mcas", "b"),
                    new Key("test", "mcas", "c"));
            AtomicLong calls = new AtomicLong();
            for (Key k : keys) {
                client.put(k, Map.of("count", 0L));
                calls.incrementAndGet();
            }
            long opsBefore = node.metrics().registry().counter("partita.multiplex.operations").getCount();
            long framesBefore = node.metrics().registry().counter("partita.multiplex.frames").getCount();
            int threads = 16;
            int attemptsEach = 40;
            Map<Key, Map<Integer, String>> winners = new ConcurrentHashMap<>();
            Map<Key, AtomicInteger> successes = new ConcurrentHashMap<>();
            for (Key k : keys) {
                winners.put(k, new ConcurrentHashMap<>());
                successes.put(k, new AtomicInteger());
            }
            AtomicInteger duplicates = new AtomicInteger();
            AtomicInteger conflicts = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String name = "writer-" + t;
                int offset = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < attemptsEach; i++) {
                        Key k = keys.get((offset + i) % keys.size());
                        Record r = client.get(k);
                        calls.incrementAndGet();
                        WritePolicy cas = WritePolicy.builder().expectedGeneration(r.generation()).build();
                        try {
                            calls.incrementAndGet();
                            int generation = client.put(cas, k, Map.of("count", r.getLong("count") + 1));
                            successes.get(k).incrementAndGet();
                            if (winners.get(k).putIfAbsent(generation, name) != null) {
                                duplicates.incrementAndGet();
                            }
                        } catch (PartitaException e) {
                            // No fault is injected: a CAS may only lose the race, never be in doubt.
                            assertEquals(ResultCode.GENERATION_ERROR, e.resultCode(), e.getMessage());
                            conflicts.incrementAndGet();
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

            assertEquals(0, duplicates.get(), "two writers won the same generation of a key");
            assertTrue(conflicts.get() > 0, "16 threads on 3 keys should produce conflicts");
            for (Key k : keys) {
                int wins = successes.get(k).get();
                Record last = client.get(k);
                calls.incrementAndGet();
                assertEquals(wins, winners.get(k).size(), k + ": every success has its own generation");
                assertEquals(1 + wins, last.generation(), k + ": the final generation counts the successes");
                assertEquals((long) wins, last.getLong("count"), k + ": no increment was lost");
                for (int g = 2; g <= 1 + wins; g++) {
                    assertTrue(winners.get(k).containsKey(g), k + ": generation " + g + " has a winner");
                }
            }
            long opsAfter = node.metrics().registry().counter("partita.multiplex.operations").getCount();
            long frames = node.metrics().registry().counter("partita.multiplex.frames").getCount() - framesBefore;
            LOG.info("{} operations in {} Multiplex frames; {} CAS conflicts", opsAfter - opsBefore, frames,
                    conflicts.get());
            assertEquals(calls.get() - keys.size(), opsAfter - opsBefore,
                    "every operation travelled on the Multiplex stream");
        }
    }
}
