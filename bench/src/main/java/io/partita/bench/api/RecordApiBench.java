package io.partita.bench.api;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.PartitionFilter;
import io.partita.client.Policy;
import io.partita.client.Record;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the record API against a loaded cluster (records {@code namespace/set/<index>} as the load generator
 * writes them): a batch get of N keys against the same N keys read one after another and all at once
 * (asynchronously), and full scans in records per second. Prints one table; run by {@code bench/record-api.sh}.
 */
@Command(name = "record-api-bench", mixinStandardHelpOptions = true,
        description = "Batch get against single gets, and scan throughput, on a loaded cluster.")
public final class RecordApiBench implements Callable<Integer> {
    @Option(names = "--hosts", split = ",", defaultValue = "127.0.0.1:7300", paramLabel = "HOST:PORT")
    List<String> hosts;

    @Option(names = "--namespace", defaultValue = "test")
    String namespace;

    @Option(names = "--set", defaultValue = "bench")
    String set;

    @Option(names = "--records", defaultValue = "100000", description = "Records loaded (indexes 0..N-1).")
    long records;

    @Option(names = "--batch-size", defaultValue = "100")
    int batchSize;

    @Option(names = "--rounds", defaultValue = "300", description = "Measured rounds per mode (after 30 warm-up).")
    int rounds;

    @Option(names = "--scans", defaultValue = "3", description = "Full scans to time.")
    int scans;

    private static final int WARMUP_ROUNDS = 30;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RecordApiBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try (PartitaClient client = PartitaClient.connect(ClientConfig.builder().seeds(hosts)
                .fromEnvironment(System.getenv())
                .defaultPolicy(Policy.builder().timeoutMs(30_000).build()).build())) {
            Random random = new Random(1);
            long[][] micros = new long[3][rounds];
            for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
                Key[] keys = new Key[batchSize];
                for (int i = 0; i < batchSize; i++) {
                    keys[i] = new Key(namespace, set, (long) random.nextInt((int) records));
                }
                // Modes in a rotating order, so none always runs on a warmer cache than another.
                for (int m = 0; m < 3; m++) {
                    int mode = (m + Math.max(r, 0)) % 3;
                    long start = System.nanoTime();
                    long found = read(client, mode, keys);
                    long elapsed = (System.nanoTime() - start) / 1000;
                    if (found != batchSize) {
                        throw new IllegalStateException("mode " + mode + " found " + found + " of " + batchSize
                                + " records: load " + records + " records into " + namespace + "/" + set + " first");
                    }
                    if (r >= 0) {
                        micros[mode][r] = elapsed;
                    }
                }
            }
            print("batch get of " + batchSize + " keys", micros[0]);
            print(batchSize + " single gets, one after another", micros[1]);
            print(batchSize + " single gets, all in flight (async)", micros[2]);

            List<Double> rates = new ArrayList<>();
            for (int s = 0; s < scans; s++) {
                AtomicLong n = new AtomicLong();
                long start = System.nanoTime();
                client.scanPartitions(null, PartitionFilter.all(), namespace, set, (ns, st, digest, rec) ->
                        n.incrementAndGet());
                double seconds = (System.nanoTime() - start) / 1e9;
                rates.add(n.get() / seconds);
                System.out.printf(Locale.ROOT, "scan %d: %,d records in %.2f s = %,.0f records/s%n", s + 1, n.get(),
                        seconds, n.get() / seconds);
            }
            rates.sort(null);
            System.out.printf(Locale.ROOT, "scan median: %,.0f records/s%n", rates.get(rates.size() / 2));
        }
        return 0;
    }

    /** Reads {@code keys} one way; returns how many records were found. */
    private static long read(PartitaClient client, int mode, Key[] keys) {
        switch (mode) {
            case 0:
                return Arrays.stream(client.get(null, keys)).filter(r -> r != null).count();
            case 1: {
                long found = 0;
                for (Key k : keys) {
                    found += client.get(k) != null ? 1 : 0;
                }
                return found;
            }
            default: {
                List<CompletableFuture<Record>> futures = new ArrayList<>(keys.length);
                for (Key k : keys) {
                    futures.add(client.getAsync(k));
                }
                return futures.stream().map(CompletableFuture::join).filter(r -> r != null).count();
            }
        }
    }

    private void print(String what, long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        long median = sorted[sorted.length / 2];
        long p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
        System.out.printf(Locale.ROOT, "%-44s median %,8.2f ms  p99 %,8.2f ms  (%,6.1f us per key, %,.0f keys/s)%n",
                what, median / 1000.0, p99 / 1000.0, (double) median / batchSize, batchSize * 1e6 / median);
    }
}
