package io.partita.server.lincheck;

import io.partita.server.lincheck.LinearizabilityChecker.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * The linearizability search for the ops on one key: Wing &amp; Gong's depth-first search with Lowe's memoization.
 *
 * <p>Definite ops' call and return entries sit in a doubly linked list sorted by time. Walking it from the head, each
 * call entry is a candidate to linearize next, until the first return entry: that op must take effect before anything
 * called after its return. Linearizing a candidate unlinks its entries, pushes it, and restarts from the head. When
 * no definite candidate works, the indeterminate ops called before that first return are tried; when none works
 * either, the search pops the last choice and tries the candidate after it.
 *
 * <p>Indeterminate ops sit in a list of their own (they have no return entry: their return is +infinity) and are
 * never required: the history is linearizable as soon as every definite op is linearized. Trying them last explores
 * configurations with fewer of them linearized first, and an indeterminate op is only tried where it changes the
 * state (a linearization can always leave out one that does not).
 *
 * <p>A configuration is (definite ops linearized, indeterminate ops linearized, state). The cache keeps every
 * configuration explored; a new one is pruned if the cache holds one with the same definite ops and state and a
 * subset of its indeterminate ops. That is sound: whatever completes the new configuration also completes the cached
 * one, which was (or is being) explored in full. With no indeterminate ops it is plain equality, as in Lowe's
 * algorithm. Two reductions shrink the space further without changing any answer: a written value that no GET reads
 * is replaced by one unread value, so states differing only in unread values merge; and indeterminate ops with equal
 * (so replaced) inputs are interchangeable, so only the earliest called one not yet linearized is tried.
 */
final class KeySearch {
    /** Stop memoizing (the search stays correct, only slower) past this many cached words: about 256 MB. */
    private static final long CACHE_WORD_BUDGET = 1L << 25;
    private static final int END = -1;
    private static final int PREFIX_LINES = 12;
    private static final int CANDIDATE_LINES = 12;

    private final String key;
    private final History history;
    private final Op[] ops;
    /** What the search runs: the ops' inputs with every value no GET reads replaced by one unread value. */
    private final Input[] inputs;
    private final boolean[] inDoubt;
    /** For an indeterminate op, the previous indeterminate op (by call) with the same input, else END. */
    private final int[] twin;
    /** Op index to its bit in {@link #definiteBits} or {@link #doubtBits}. */
    private final int[] bit;
    private final int definiteCount;
    private final int doubtCount;
    private final long[] zobrist;

    /** Entries in time order; {@link #head} is the sentinel before the first of either list. */
    private final int[] entryOp;
    private final boolean[] isCall;
    /** A definite op's call entry to its return entry. */
    private final int[] returnEntry;
    /** The list of the definite ops' entries not yet linearized. */
    private final int[] next;
    private final int[] prev;
    /** The list of the indeterminate ops' call entries not yet linearized. */
    private final int[] nextDoubt;
    private final int[] prevDoubt;
    private final int head;

    private final RecordModel model = new RecordModel();
    private final long[] definiteBits;
    private final long[] doubtBits;
    private long definiteHash;
    private long value;
    private int generation = RecordModel.ABSENT;
    private int definiteLeft;

    private final int[] stackEntry;
    private final long[] stackValue;
    private final int[] stackGeneration;
    private int depth;

    private final Map<Config, List<long[]>> cache = new HashMap<>();
    private final Config probe;
    private long cachedWords;
    private long explored;

    private int[] bestPath = new int[0];
    private int bestDefinite = -1;

    /**
     * @param ops the ops on {@code key} that take part, in call order: no FAILED_NOT_APPLIED ops, no indeterminate
     *            GETs
     */
    KeySearch(String key, History history, List<Op> ops) {
        this.key = key;
        this.history = history;
        this.ops = ops.toArray(new Op[0]);
        int n = this.ops.length;
        inputs = canonicalInputs(this.ops);
        inDoubt = new boolean[n];
        twin = new int[n];
        bit = new int[n];
        Map<Input, Integer> lastOfInput = new HashMap<>();
        int definite = 0;
        int doubt = 0;
        for (int i = 0; i < n; i++) {
            inDoubt[i] = !this.ops[i].definite();
            bit[i] = inDoubt[i] ? doubt++ : definite++;
            Integer previous = inDoubt[i] ? lastOfInput.put(inputs[i], i) : null;
            twin[i] = previous == null ? END : previous;
        }
        definiteCount = definite;
        doubtCount = doubt;
        definiteLeft = definite;
        SplittableRandom random = new SplittableRandom(n);
        zobrist = new long[definite];
        for (int i = 0; i < definite; i++) {
            zobrist[i] = random.nextLong();
        }
        definiteBits = new long[(definite + 63) >>> 6];
        doubtBits = new long[(doubt + 63) >>> 6];
        probe = new Config(definiteBits);

        int entries = n + definite;
        long[][] sortable = new long[entries][];
        int e = 0;
        for (int i = 0; i < n; i++) {
            // At equal times a call sorts before a return: such ops are taken as concurrent, the lenient reading.
            sortable[e++] = new long[] {this.ops[i].callNanos(), 0, i};
            if (!inDoubt[i]) {
                sortable[e++] = new long[] {this.ops[i].returnNanos(), 1, i};
            }
        }
        Arrays.sort(sortable, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[2], b[2]));
        entryOp = new int[entries];
        isCall = new boolean[entries];
        returnEntry = new int[entries];
        next = new int[entries + 1];
        prev = new int[entries + 1];
        nextDoubt = new int[entries + 1];
        prevDoubt = new int[entries + 1];
        head = entries;
        next[head] = END;
        nextDoubt[head] = END;
        int[] callEntryOf = new int[n];
        int lastDefinite = head;
        int lastDoubt = head;
        for (int i = 0; i < entries; i++) {
            int op = (int) sortable[i][2];
            entryOp[i] = op;
            isCall[i] = sortable[i][1] == 0;
            returnEntry[i] = END;
            if (isCall[i]) {
                callEntryOf[op] = i;
            } else {
                returnEntry[callEntryOf[op]] = i;
            }
            if (inDoubt[op]) {
                append(i, lastDoubt, nextDoubt, prevDoubt);
                lastDoubt = i;
            } else {
                append(i, lastDefinite, next, prev);
                lastDefinite = i;
            }
        }
        stackEntry = new int[n];
        stackValue = new long[n];
        stackGeneration = new int[n];
    }

    private static void append(int entry, int last, int[] next, int[] prev) {
        next[last] = entry;
        prev[entry] = last;
        next[entry] = END;
    }

    /**
     * The inputs with every written value that no definite GET reads replaced by one value no GET reads. Such a value
     * only ever makes a GET fail, whichever it is, so the answers are unchanged, while states differing only in unread
     * values merge and indeterminate writes of unread values become interchangeable.
     */
    private static Input[] canonicalInputs(Op[] ops) {
        Set<Long> read = new HashSet<>();
        for (Op op : ops) {
            if (op.input().kind() == Input.Kind.GET && op.definite() && op.output().code() == Output.Code.OK) {
                read.add(op.output().value());
            }
        }
        long unread = Long.MIN_VALUE;
        while (read.contains(unread)) {
            unread++;
        }
        Input[] inputs = new Input[ops.length];
        for (int i = 0; i < ops.length; i++) {
            Input input = ops[i].input();
            boolean writes = input.kind() == Input.Kind.PUT || input.kind() == Input.Kind.CAS;
            inputs[i] = writes && !read.contains(input.value())
                    ? new Input(input.kind(), unread, input.expectedGeneration()) : input;
        }
        return inputs;
    }

    /** Searches until decided, or until {@code stop} says so (then {@link Verdict#UNKNOWN}). */
    Verdict run(BooleanSupplier stop) {
        if (definiteLeft == 0) {
            return Verdict.LINEARIZABLE;
        }
        recordBest();
        int entry = next[head];
        boolean doubtPhase = false;
        int firstReturn = END;
        for (long steps = 0; ; steps++) {
            if ((steps & 1023) == 0 && stop.getAsBoolean()) {
                return Verdict.UNKNOWN;
            }
            if (!doubtPhase && !isCall[entry]) {
                // No definite candidate before this return works: try the indeterminate ops called before it.
                doubtPhase = true;
                firstReturn = entry;
                entry = nextDoubt[head];
            }
            if (doubtPhase && (entry == END || entry > firstReturn)) {
                // Nothing can take effect before the op returning at firstReturn: backtrack.
                if (depth == 0) {
                    return Verdict.NOT_LINEARIZABLE;
                }
                depth--;
                entry = stackEntry[depth];
                value = stackValue[depth];
                generation = stackGeneration[depth];
                int op = entryOp[entry];
                flip(op);
                if (inDoubt[op]) {
                    relink(entry, nextDoubt, prevDoubt);
                    firstReturn = firstReturn();
                    entry = nextDoubt[entry];
                } else {
                    relink(returnEntry[entry], next, prev);
                    relink(entry, next, prev);
                    definiteLeft++;
                    doubtPhase = false;
                    entry = next[entry];
                }
                continue;
            }
            int op = entryOp[entry];
            model.apply(inputs[op], value, generation);
            long nextValue = model.nextValue();
            int nextGeneration = model.nextGeneration();
            boolean candidate = doubtPhase
                    ? (nextValue != value || nextGeneration != generation) && firstOfItsInput(op)
                    : model.accepts(ops[op].output());
            if (candidate && take(op, nextValue, nextGeneration)) {
                push(entry);
                value = nextValue;
                generation = nextGeneration;
                if (!inDoubt[op]) {
                    unlink(entry, next, prev);
                    unlink(returnEntry[entry], next, prev);
                    if (--definiteLeft == 0) {
                        return Verdict.LINEARIZABLE;
                    }
                    recordBest();
                } else {
                    unlink(entry, nextDoubt, prevDoubt);
                }
                doubtPhase = false;
                entry = next[head];
                continue;
            }
            entry = doubtPhase ? nextDoubt[entry] : next[entry];
        }
    }

    /** The first return entry in the list: the earliest return among the definite ops not yet linearized. */
    private int firstReturn() {
        int entry = next[head];
        while (isCall[entry]) {
            entry = next[entry];
        }
        return entry;
    }

    /**
     * Whether {@code op} is the first not yet linearized among the indeterminate ops with its input. They have the
     * same effect and can take effect any time after their calls, so a linearization may as well use them in call
     * order.
     */
    private boolean firstOfItsInput(int op) {
        int t = twin[op];
        return t == END || (doubtBits[bit[t] >>> 6] & (1L << bit[t])) != 0;
    }

    /** Marks {@code op} linearized if that leads to a configuration not yet explored; else leaves it unmarked. */
    private boolean take(int op, long nextValue, int nextGeneration) {
        flip(op);
        if (admit(nextValue, nextGeneration)) {
            return true;
        }
        flip(op);
        return false;
    }

    /** Toggles {@code op}'s bit in the linearized sets. */
    private void flip(int op) {
        int b = bit[op];
        if (inDoubt[op]) {
            doubtBits[b >>> 6] ^= 1L << b;
        } else {
            definiteBits[b >>> 6] ^= 1L << b;
            definiteHash ^= zobrist[b];
        }
    }

    /** Whether the configuration (current bits, given state) is new and not dominated; if so, caches it. */
    private boolean admit(long nextValue, int nextGeneration) {
        probe.set(nextValue, nextGeneration, hash(nextValue, nextGeneration));
        List<long[]> seen = cache.get(probe);
        if (seen != null) {
            for (long[] doubts : seen) {
                if (subset(doubts, doubtBits)) {
                    return false;
                }
            }
            seen.removeIf(doubts -> subset(doubtBits, doubts));
        }
        explored++;
        if (cachedWords < CACHE_WORD_BUDGET) {
            if (seen == null) {
                seen = new ArrayList<>(1);
                Config stored = probe.copy();
                cache.put(stored, seen);
                cachedWords += stored.size();
            }
            seen.add(doubtBits.clone());
            cachedWords += doubtBits.length + 4;
        }
        return true;
    }

    private int hash(long nextValue, int nextGeneration) {
        long h = definiteHash ^ (nextValue * 0x9E3779B97F4A7C15L) ^ (nextGeneration * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }

    private static boolean subset(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            if ((a[i] & ~b[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    private void push(int entry) {
        stackEntry[depth] = entry;
        stackValue[depth] = value;
        stackGeneration[depth] = generation;
        depth++;
    }

    private static void unlink(int entry, int[] next, int[] prev) {
        next[prev[entry]] = next[entry];
        if (next[entry] != END) {
            prev[next[entry]] = prev[entry];
        }
    }

    /** Undoes {@link #unlink}; entries must be relinked in the reverse order of their unlinking. */
    private static void relink(int entry, int[] next, int[] prev) {
        next[prev[entry]] = entry;
        if (next[entry] != END) {
            prev[next[entry]] = entry;
        }
    }

    private void recordBest() {
        int done = definiteCount - definiteLeft;
        if (done > bestDefinite) {
            bestDefinite = done;
            bestPath = new int[depth];
            for (int i = 0; i < depth; i++) {
                bestPath[i] = entryOp[stackEntry[i]];
            }
        }
    }

    String key() {
        return key;
    }

    long explored() {
        return explored;
    }

    /** E.g. {@code 812 ops, 22 indeterminate}. */
    String size() {
        return ops.length + " ops, " + doubtCount + " indeterminate";
    }

    /**
     * The longest linearizable prefix found (most definite ops), the state it leaves, the op that had to come next,
     * and what each candidate would do from there.
     */
    String report() {
        StringBuilder out = new StringBuilder();
        out.append("Longest linearizable prefix found: ").append(bestDefinite).append(" of ").append(definiteCount)
                .append(" definite ops").append(bestPath.length > bestDefinite
                        ? " (and " + (bestPath.length - bestDefinite) + " indeterminate steps)" : "").append(":\n");
        long v = 0;
        int g = RecordModel.ABSENT;
        boolean[] linearized = new boolean[ops.length];
        if (bestPath.length > PREFIX_LINES) {
            out.append("  ... ").append(bestPath.length - PREFIX_LINES).append(" earlier steps\n");
        }
        for (int i = 0; i < bestPath.length; i++) {
            int op = bestPath[i];
            linearized[op] = true;
            model.apply(ops[op].input(), v, g);
            v = model.nextValue();
            g = model.nextGeneration();
            if (i >= bestPath.length - PREFIX_LINES) {
                out.append("  ").append(history.line(ops[op])).append("  => ").append(RecordModel.describe(v, g))
                        .append('\n');
            }
        }
        out.append("State after the prefix: ").append(RecordModel.describe(v, g)).append('\n');

        int stuck = END;
        for (int e = 0; e < entryOp.length && stuck == END; e++) {
            if (!isCall[e] && !linearized[entryOp[e]]) {
                stuck = e;
            }
        }
        if (stuck == END) {
            return out.toString();
        }
        Op blocker = ops[entryOp[stuck]];
        out.append("Stuck: ").append(blocker).append(" returned at ").append(history.millis(blocker.returnNanos()))
                .append(" ms, so it or an op called before then must come next:\n");
        int listed = 0;
        int more = 0;
        for (int e = 0; e < stuck; e++) {
            int op = entryOp[e];
            if (!isCall[e] || linearized[op]) {
                continue;
            }
            if (listed == CANDIDATE_LINES) {
                more++;
                continue;
            }
            listed++;
            model.apply(ops[op].input(), v, g);
            String answer = model.expected().describe(ops[op].input().kind());
            String giving = RecordModel.describe(model.nextValue(), model.nextGeneration());
            out.append("  ").append(history.line(ops[op])).append("  : ");
            if (inDoubt[op]) {
                out.append("in doubt; would answer ").append(answer).append(", giving ").append(giving);
            } else if (model.accepts(ops[op].output())) {
                out.append("answers as recorded, giving ").append(giving);
            } else {
                out.append("rejected, the model answers ").append(answer);
            }
            out.append('\n');
        }
        if (more > 0) {
            out.append("  ... and ").append(more).append(" more candidates\n");
        }
        return out.toString();
    }

    /**
     * A cache key: the definite ops linearized and the state. The linearized set is nearly a prefix of the ops in call
     * order, so it is kept as a count of leading all-set words and the words after them up to the last non-zero one.
     * The lookup {@link #probe} instead views the live bit set.
     */
    private static final class Config {
        private long[] words;
        private int from;
        private int to;
        private int fullWords;
        private long value;
        private int generation;
        private int hash;

        /** A probe over {@code bits}; {@link #set} before each lookup. */
        Config(long[] bits) {
            this.words = bits;
        }

        /** Views the live bits and the given state. */
        void set(long value, int generation, int hash) {
            int full = 0;
            while (full < words.length && words[full] == -1L) {
                full++;
            }
            int last = words.length;
            while (last > full && words[last - 1] == 0) {
                last--;
            }
            this.fullWords = full;
            this.from = full;
            this.to = last;
            this.value = value;
            this.generation = generation;
            this.hash = hash;
        }

        /** A compact copy to store. */
        Config copy() {
            Config c = new Config(Arrays.copyOfRange(words, from, to));
            c.from = 0;
            c.to = to - from;
            c.fullWords = fullWords;
            c.value = value;
            c.generation = generation;
            c.hash = hash;
            return c;
        }

        /** Cached words, roughly. */
        int size() {
            return words.length + 8;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Config)) {
                return false;
            }
            Config c = (Config) o;
            return hash == c.hash && value == c.value && generation == c.generation && fullWords == c.fullWords
                    && Arrays.equals(words, from, to, c.words, c.from, c.to);
        }
    }
}
