package io.partita.bench.jmh;

import io.partita.engine.storage.AppliedPosition;
import io.partita.engine.storage.GroupStore;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.storage.StorageOptions;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link GroupStore#apply} of one log entry of {@code batchSize} create-or-update puts (one 100-byte string bin each)
 * into a real RocksDB ({@link NodeStore} with default options, in a fresh temp directory per trial, removed at tear
 * down). Each invocation takes the next {@code batchSize} keys of a {@value #KEYS}-key space, cycling, so after the
 * first pass every put reads and decodes the existing record, as an update does. WAL on, no fsync (as in the server).
 * Scores are per batch (divide by {@code batchSize} for per-record cost).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ApplyBenchmark {
    static final int KEYS = 65_536;

    @Param({"1", "16", "256"})
    public int batchSize;

    private Path dir;
    private NodeStore nodeStore;
    private GroupStore group;
    private List<WriteOp> ops;
    private int cursor;
    private long index;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("partita-jmh-apply-");
        nodeStore = NodeStore.open(dir, StorageOptions.defaults());
        group = nodeStore.group(0);
        ops = BenchData.puts(KEYS, 42);
        cursor = 0;
        index = 0;
    }

    @Benchmark
    public List<WriteOutcome> apply() {
        List<WriteOp> batch = ops.subList(cursor, cursor + batchSize);
        cursor = (cursor + batchSize) % KEYS;
        return group.apply(new AppliedPosition(1, ++index), System.currentTimeMillis(), batch);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (nodeStore != null) {
            nodeStore.close();
            nodeStore = null;
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            dir = null;
        }
    }
}
