package io.partita.bench.jmh;

import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link RecordCodec#encode} and {@link RecordCodec#decode} of one stored record (every apply decodes the current
 * record and encodes the new one).
 *
 * <ul>
 *   <li>{@code string100}: one bin holding a 100-character ASCII string (the load generator's default record);</li>
 *   <li>{@code bytes1k_list}: a 1 KiB byte-array bin plus a small list bin ({@code [42, "tag", 3.5, true, [1, 2]]}).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordCodecBenchmark {
    @Param({"string100", "bytes1k_list"})
    public String shape;

    private StoredRecord record;
    private byte[] encoded;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(42);
        Map<String, Object> bins = new LinkedHashMap<>();
        switch (shape) {
            case "string100" -> bins.put("bin0", BenchData.asciiString(random, 100));
            case "bytes1k_list" -> {
                bins.put("blob", BenchData.randomBytes(random, 1024));
                bins.put("meta", List.of(42L, "tag", 3.5, true, List.of(1L, 2L)));
            }
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
        record = new StoredRecord(7, 0L, 1_700_000_000_000L, bins);
        encoded = RecordCodec.encode(record);
        if (!RecordCodec.decode(encoded).equals(record)) {
            throw new IllegalStateException("codec round trip failed for " + shape);
        }
    }

    @Benchmark
    public byte[] encode() {
        return RecordCodec.encode(record);
    }

    @Benchmark
    public StoredRecord decode() {
        return RecordCodec.decode(encoded);
    }
}
