package io.partita.bench;

import io.partita.client.Key;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the generator reads and writes: keys {@code namespace/set/<index>} with a long user key (for Partita; other
 * stores get the same key as the name {@link #keyName}), records of
 * {@code bins} string bins named {@code bin0, bin1, ...} of {@code valueSize} random ASCII characters each (fresh
 * content per write, so compression and deduplication cannot flatter the numbers), the operation mix, the key
 * distribution and the longest scan. Immutable and thread-safe; the randomness comes from the caller.
 */
public final class Workload {

    /** 64 symbols: one per 6 bits of a random long. */
    private static final char[] ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private final String namespace;
    private final String set;
    private final List<String> binNames;
    private final int valueSize;
    private final OperationMix mix;
    private final Distribution distribution;
    private final int maxScanLength;

    /**
     * A workload.
     *
     * @param maxScanLength a scan reads between 1 and this many records (uniformly)
     * @throws IllegalArgumentException if a count is out of range or the namespace or set name is invalid
     */
    public Workload(String namespace, String set, int bins, int valueSize, OperationMix mix,
                    Distribution distribution, int maxScanLength) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        if (valueSize < 1) {
            throw new IllegalArgumentException("value size must be >= 1, got " + valueSize);
        }
        if (maxScanLength < 1) {
            throw new IllegalArgumentException("scan length must be >= 1, got " + maxScanLength);
        }
        new Key(namespace, set, 0L); // validates the names
        this.namespace = namespace;
        this.set = set;
        List<String> names = new ArrayList<>(bins);
        for (int i = 0; i < bins; i++) {
            names.add("bin" + i);
        }
        this.binNames = Collections.unmodifiableList(names);
        this.valueSize = valueSize;
        this.mix = mix;
        this.distribution = distribution;
        this.maxScanLength = maxScanLength;
    }

    /** A workload of {@code readPercent}% reads and the rest updates, uniform keys: the generator's original mix. */
    public static Workload readWrite(String namespace, String set, int bins, int valueSize, int readPercent) {
        return new Workload(namespace, set, bins, valueSize, OperationMix.readPercent(readPercent),
            Distribution.UNIFORM, 1);
    }

    /** The key of record {@code index}. */
    public Key key(long index) {
        return new Key(namespace, set, index);
    }

    /**
     * The key of record {@code index} as a name, {@code namespace/set/index} (e.g. {@code test/bench/42}): the key
     * for stores whose keys are byte strings.
     */
    public String keyName(long index) {
        return namespace + "/" + set + "/" + index;
    }

    /** The namespace of every key. */
    public String namespace() {
        return namespace;
    }

    /** The set of every key. */
    public String set() {
        return set;
    }

    /** The operation mix. */
    public OperationMix mix() {
        return mix;
    }

    /** How records are picked for reads, updates, scans and read-modify-writes. */
    public Distribution distribution() {
        return distribution;
    }

    /** The next operation, drawn from the mix. */
    public OpType nextOp(SplittableRandom random) {
        return mix.next(random);
    }

    /** The length of the next scan: uniform in {@code [1, maxScanLength]}. */
    public int nextScanLength(SplittableRandom random) {
        return 1 + random.nextInt(maxScanLength);
    }

    /** Fresh bins for one write: every bin gets {@code valueSize} random characters. */
    public Map<String, Object> bins(SplittableRandom random) {
        Map<String, Object> bins = new LinkedHashMap<>(binNames.size() * 2);
        char[] buf = new char[valueSize];
        for (String name : binNames) {
            fill(buf, random);
            bins.put(name, new String(buf));
        }
        return bins;
    }

    /** The bin names, {@code bin0 ...}. */
    public List<String> binNames() {
        return binNames;
    }

    private static void fill(char[] buf, SplittableRandom random) {
        int i = 0;
        while (i < buf.length) {
            long bits = random.nextLong();
            for (int k = 0; k < 10 && i < buf.length; k++, bits >>>= 6) {
                buf[i++] = ALPHABET[(int) (bits & 63)];
            }
        }
    }
}
