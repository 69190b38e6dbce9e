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
    /** Fresh-key writes reported in doubt: each may be absent or hold its value, nothing else. */
    final Map<String, Long> inDoubt = new ConcurrentHashMap<>();
    /** Longest random pause between a thread's calls, in ms; 0 = none. */
    private int maxPauseMs;
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

    /** Has each thread pause up to {@code ms} between calls (a moderate rate on a crowded machine); before start. */
    ClusterWorkload withPause(int ms) {
        this.maxPauseMs = ms;
        return this;
    }

    void start(int threadCount) {
        start(threadCount, 0);
    }

    /** Starts the threads; thread t draws its calls from {@code new Random(seed + t)}. */
    void start(int threadCount, long seed) {
        for (int t = 0; t < threadCount; t++) {
            Random random = new Random(seed + t);
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
            if (maxPauseMs > 0) {
                try {
                    Thread.sleep(random.nextInt(maxPauseMs));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static Key key(String k) {
        return new Key(NAMESPACE, SET, k);
    }

    private void get(PartitaClient client, String k, Map<String, Integer> seenGeneration) {
        get(client, k, seenGeneration, readPolicy);
    }

    private void get(PartitaClient client, String k, Map<String, Integer> seenGeneration, Policy policy) {
        HistoryRecorder.Call call = recorder.begin(k, Input.get());
        try {
            Record r = client.get(policy, key(k));
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
            (e.inDoubt() ? inDoubt : notApplied).put(k, v);
        }
    }

    private void countFailure(String op, PartitaException e) {
        failedOps.incrementAndGet();
        failures.computeIfAbsent(op + " " + e.resultCode() + (e.inDoubt() ? " in doubt" : ""), x -> new AtomicLong())
                .incrementAndGet();
    }

    /** Waits until {@code more} further operations succeeded, failing the test if they do not within the timeout. */
    void awaitMoreOk(long more, Duration timeout) throws InterruptedException {
        long target = okOps.get() + more;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (okOps.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        org.junit.jupiter.api.Assertions.assertTrue(okOps.get() >= target, "the clients made no progress: "
                + okOps.get() + " ok ops, " + failures);
    }

    /**
     * After {@link #stop()}: a read of every shared key through {@code client}, recorded in the history, so that the
     * check covers the values the cluster ends with.
     */
    void finalReads(PartitaClient client) {
        Policy patient = Policy.builder().timeoutMs(30_000).maxRetries(100).build();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (String k : keys) {
            long failedBefore = failedOps.get();
            get(client, k, seen, patient);
            org.junit.jupiter.api.Assertions.assertEquals(failedBefore, failedOps.get(), "the final read of " + k
                    + " failed: " + failures);
        }
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
        readAll(reader, patient, acknowledged.keySet()).forEach((k, r) -> {
            long v = acknowledged.get(k);
            if (r == null || r.getLong("v") != v) {
                problems.add("acknowledged write " + k + "=" + v + " reads back as " + r);
            }
        });
        readAll(reader, patient, notApplied.keySet()).forEach((k, r) -> {
            if (r != null) {
                problems.add("write " + k + "=" + notApplied.get(k) + " was reported as not applied but reads back as "
                        + r);
            }
        });
        readAll(reader, patient, inDoubt.keySet()).forEach((k, r) -> {
            long v = inDoubt.get(k);
            if (r != null && r.getLong("v") != v) {
                problems.add("write " + k + "=" + v + " was reported in doubt and reads back as " + r);
            }
        });
        return problems;
    }

    /**
     * Reads the fresh keys {@code keys}, 64 at a time (one by one took tens of seconds after a long run); a read that
     * fails throws, as {@link PartitaClient#get} does.
     */
    static Map<String, Record> readAll(PartitaClient reader, Policy policy, java.util.Collection<String> keys) {
        Map<String, Record> records = new java.util.TreeMap<>();
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += 64) {
            Map<String, java.util.concurrent.CompletableFuture<Record>> reads = new java.util.LinkedHashMap<>();
            for (String k : all.subList(from, Math.min(all.size(), from + 64))) {
                reads.put(k, reader.getAsync(policy, key(k)));
            }
            reads.forEach((k, read) -> {
                try {
                    records.put(k, read.join());
                } catch (java.util.concurrent.CompletionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            });
        }
        return records;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
