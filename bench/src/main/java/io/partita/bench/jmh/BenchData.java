package io.partita.bench.jmh;

import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.protocol.KeyDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Deterministic inputs shared by the benchmarks. */
final class BenchData {
    static final String NAMESPACE = "test";
    static final String SET = "bench";
    /** Largest record the benchmark namespace accepts (the server's default is of this order). */
    static final long MAX_RECORD_SIZE = 1L << 20;

    private BenchData() {
    }

    /** A string of {@code length} random printable ASCII characters (like the load generator's values). */
    static String asciiString(SplittableRandom random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('!' + random.nextInt(94));
        }
        return new String(chars);
    }

    static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Create-or-update puts of keys {@code 0..count-1} of {@link #SET}, each with one 100-byte string bin. */
    static List<WriteOp> puts(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<WriteOp> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(WriteOp.write(WriteKind.PUT, NAMESPACE, SET, KeyDigest.compute(SET, (long) i),
                    ExistsAction.CREATE_OR_UPDATE, 0, 0L, false,
                    Map.of("bin0", asciiString(random, 100)), MAX_RECORD_SIZE));
        }
        return ops;
    }
}
