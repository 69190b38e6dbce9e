package io.partita.server;

import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitaException;
import io.partita.client.Policy;
import io.partita.client.Record;
import io.partita.client.WritePolicy;
import io.partita.protocol.ResultCode;
import io.partita.server.lincheck.History;
import io.partita.server.lincheck.HistoryRecorder;
import io.partita.server.lincheck.Input;
import io.partita.server.lincheck.LinearizabilityChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent clients for fault tests. Each thread mixes, on a few shared keys, puts of unique values, linearizable
 * gets and compare-and-set puts, recording every call for the linearizability checker; and it writes fresh keys once
 * each, remembering which writes were acknowledged and which were reported as not applied.
 */
final class ClusterWorkload implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterWorkload.class);
    static final String NAMESPACE = "test";
    static final String SET = "lin";

    private final List<PartitaClient> clients;
    private final List<String> keys;
    private final WritePolicy writePolicy;
    private final Policy readPolicy;
    private final HistoryRecorder recorder = new HistoryRecorder();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong values = new AtomicLong(1);
    private final List<Thread> threads = new ArrayList<>();
    /** Fresh-key writes acknowledged, by key, with the value written. */
    final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    /** Fresh-key writes the client reported as certainly not applied. */
    final Map<String, Long> notApplied = new ConcurrentHashMap<>();
    final AtomicLong okOps = new AtomicLong();
    final AtomicLong failedOps = new AtomicLong();
    /** Failures by result code (and "in doubt"), for the test log. */
    final Map<String, AtomicLong> failures = new java.util.concurrent.ConcurrentSkipListMap<>();

    /**
     * @param clients the threads use these in turn; separate clients learn of leader changes at different times,
     *                which is what exposes a deposed leader that still answers
     */
    ClusterWorkload(List<PartitaClient> clients, int keyCount, long timeoutMs) {
        this.clients = List.copyOf(clients);
        this.keys = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            keys.add("k" + i);
        }
        this.writePolicy = WritePolicy.builder().timeoutMs(timeoutMs).build();
        this.readPolicy = Policy.builder().timeoutMs(timeoutMs).build();
    }

    void start(int threadCount) {
        for (int t = 0; t < threadCount; t++) {
            Random random = new Random(t);
            PartitaClient client = clients.get(t % clients.size());
            Thread thread = new Thread(() -> run(client, random), "worker-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void run(PartitaClient client, Random random) {
        Map<String, Integer> seenGeneration = new java.util.HashMap<>();
        int fresh = 0;
        while (running.get()) {
            String k = keys.get(random.nextInt(keys.size()));
            int dice = random.nextInt(100);
            if (dice < 35) {
                get(client, k, seenGeneration);
            } else if (dice < 65) {
                put(client, k);
            } else if (dice < 85) {
                cas(client, k, seenGeneration.getOrDefault(k, 1));
            } else {
                freshWrite(client, Thread.currentThread().getName() + "-" + fresh++);
            }
        }
    }

    private static Key key(String k) {
        return new Key(NAMESPACE, SET, k);
    }

    private void get(PartitaClient client, String k, Map<String, Integer> seenGeneration) {
        HistoryRecorder.Call call = recorder.begin(k, Input.get());
        try {
            Record r = client.get(readPolicy, key(k));
            if (r == null) {
                call.notFound();
            } else {
                call.found(r.getLong("v"), r.generation());
                seenGeneration.put(k, r.generation());
            }
            okOps.incrementAndGet();
        } catch (PartitaException e) {
            call.failed(); // a read that failed changed nothing
            countFailure("get", e);
        }
    }

    private void put(PartitaClient client, String k) {
        long v = values.getAndIncrement();
        HistoryRecorder.Call call = recorder.begin(k, Input.put(v));
        try {
            call.ok(client.put(writePolicy, key(k), Map.of("v", v)));
            okOps.incrementAndGet();
        } catch (PartitaException e) {
            countFailure("put", e);
            if (e.inDoubt()) {
                call.indeterminate();
            } else {
                call.failed();
            }
        }
    }

    private void cas(PartitaClient client, String k, int expectedGeneration) {
        long v = values.getAndIncrement();
        HistoryRecorder.Call call = recorder.begin(k, Input.cas(expectedGeneration, v));
        try {
            call.ok(client.put(writePolicy.toBuilder().expectedGeneration(expectedGeneration).build(), key(k),
                    Map.of("v", v)));
            okOps.incrementAndGet();
        } catch (PartitaException e) {
            if (e.inDoubt()) {
                call.indeterminate();
            } else if (e.resultCode() == ResultCode.GENERATION_ERROR) {
                call.generationError();
            } else if (e.resultCode() == ResultCode.KEY_NOT_FOUND) {
                call.notFound();
            } else {
                call.failed();
            }
            countFailure("cas", e);
        }
    }

    private void freshWrite(PartitaClient client, String k) {
        long v = values.getAndIncrement();
        try {
            client.put(writePolicy, key(k), Map.of("v", v));
            acknowledged.put(k, v);
        } catch (PartitaException e) {
            countFailure("fresh put", e);
            if (!e.inDoubt()) {
                notApplied.put(k, v);
            }
        }
    }

    private void countFailure(String op, PartitaException e) {
        failedOps.incrementAndGet();
        failures.computeIfAbsent(op + " " + e.resultCode() + (e.inDoubt() ? " in doubt" : ""), x -> new AtomicLong())
                .incrementAndGet();
    }

    /** Stops the threads and waits for them (each finishes its call in flight). */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
    }

    /**
     * Stops the clients and checks what they saw: they kept working (more than 100 successful operations), every
     * acknowledged fresh write reads back through {@code reader} and none reported as not applied is visible, and the
     * history is linearizable (checked within 60 s).
     */
    void stopAndCheck(PartitaClient reader) throws InterruptedException {
        stop();
        LOG.info("workload: {} ok, {} failed {}, {} fresh writes acknowledged, {} not applied", okOps.get(),
                failedOps.get(), failures, acknowledged.size(), notApplied.size());
        org.junit.jupiter.api.Assertions.assertTrue(okOps.get() > 100, "the clients kept working: " + okOps.get()
                + " ok ops");
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), checkFreshWrites(reader));
        assertLinearizable(Duration.ofSeconds(60));
    }

    /** Checks the recorded history for linearizability within {@code budget}, logging the verdict and its time. */
    void assertLinearizable(Duration budget) {
        History history = history();
        long start = System.nanoTime();
        LinearizabilityChecker.Result result = LinearizabilityChecker.check(history, budget);
        LOG.info("linearizability of {} ops: {} in {} ms", history.size(), result.verdict(),
                (System.nanoTime() - start) / 1_000_000);
        result.assertLinearizable();
    }

    private History history() {
        return recorder.history();
    }

    /** Problems with fresh-key writes as the cluster answers now: lost acknowledged writes, visible failed ones. */
    List<String> checkFreshWrites(PartitaClient reader) {
        // The check is about what the cluster holds, not how fast it answers right after a fault: leaders may still
        // be moving back to their preferred replicas, so each read may wait that out.
        Policy patient = Policy.builder().timeoutMs(30_000).maxRetries(100).build();
        List<String> problems = new ArrayList<>();
        acknowledged.forEach((k, v) -> {
            Record r = reader.get(patient, key(k));
            if (r == null || r.getLong("v") != v.longValue()) {
                problems.add("acknowledged write " + k + "=" + v + " reads back as " + r);
            }
        });
        notApplied.forEach((k, v) -> {
            Record r = reader.get(patient, key(k));
            if (r != null) {
                problems.add("write " + k + "=" + v + " was reported as not applied but reads back as " + r);
            }
        });
        return problems;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
