package io.partita.server.lincheck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Decides whether a {@link History} of single-key operations is linearizable: whether every op can be given an
 * instant between its call and its return at which it takes effect atomically, such that running the ops one by
 * one in that order against the model below reproduces every recorded answer.
 *
 * <p><b>Model</b> (one record per key, as the database keeps it). A key starts absent. A record is
 * {@code (value, generation)}; the generation is 1 when the record is created and grows by one on every successful
 * write.
 * <ul>
 *   <li>PUT(v) always succeeds: the record becomes {@code (v, old generation + 1)}, or {@code (v, 1)} if absent.
 *       The answer is OK, with the resulting generation if the client learned it.</li>
 *   <li>GET answers the record {@code (value, generation)}, or absent.</li>
 *   <li>CAS(g, v) applies as a PUT if the record exists with generation g (OK); else it answers GENERATION_ERROR if
 *       the record exists, KEY_NOT_FOUND if absent. It never creates a record.</li>
 *   <li>DELETE answers OK and removes the record, or KEY_NOT_FOUND if absent.</li>
 * </ul>
 *
 * <p><b>Outcomes.</b> A {@link Outcome#DEFINITE} op took effect within its interval and produced its recorded
 * output. A {@link Outcome#FAILED_NOT_APPLIED} op is dropped: it had no effect. An {@link Outcome#INDETERMINATE} op
 * may take effect at any instant after its call (its return is +infinity) or never, with any output. Op A precedes
 * op B only if A returned strictly before B was called; intervals that touch count as concurrent.
 *
 * <p><b>Search.</b> Keys are independent, so each key's ops are checked separately (linearizability is compositional),
 * in parallel, by the depth-first search with memoization of Wing &amp; Gong and Lowe (see {@code KeySearch}), after
 * a quick check that every value read was written by an op that may have applied. The search is exponential in the
 * worst case, so it is bounded by a timeout and may answer {@link Verdict#UNKNOWN}. Linearizable histories are
 * decided fast; a violation has to rule out every interleaving before it, which grows steeply with the number of
 * indeterminate ops per key (they stay candidates to the end): keep keys to a few hundred or thousand ops, spreading
 * a long test over more keys.
 */
public final class LinearizabilityChecker {
    private LinearizabilityChecker() {
    }

    /** What the checker concluded. */
    public enum Verdict {
        /** Every key's ops have a linearization. */
        LINEARIZABLE,
        /** Some key's ops have none: a consistency violation (or a recording bug). */
        NOT_LINEARIZABLE,
        /** The timeout expired before every key was decided and no violation had been found. */
        UNKNOWN
    }

    /**
     * The checker's conclusion.
     *
     * @param verdict     the conclusion
     * @param key         the key that is not linearizable, or that was left undecided; null when linearizable
     * @param explanation a human-readable account: for a violation, the longest linearizable prefix found and the
     *                    ops that could not be placed after it
     */
    public record Result(Verdict verdict, String key, String explanation) {
        public boolean linearizable() {
            return verdict == Verdict.LINEARIZABLE;
        }

        /** Throws an {@link AssertionError} carrying the explanation unless linearizable (unknown fails too). */
        public void assertLinearizable() {
            if (!linearizable()) {
                throw new AssertionError(explanation);
            }
        }

        @Override
        public String toString() {
            return explanation;
        }
    }

    /**
     * Checks {@code history}, giving up after about {@code timeout}.
     *
     * <p>FAILED_NOT_APPLIED ops and indeterminate GETs are dropped first; they constrain nothing. When several keys
     * are not linearizable, the first in key order is explained and the others are named.
     */
    public static Result check(History history, Duration timeout) {
        Objects.requireNonNull(history, "history");
        long start = System.nanoTime();
        long deadline = start + budgetNanos(timeout);
        List<KeySearch> searches = new ArrayList<>();
        Map<String, String> violations = new TreeMap<>();
        int dropped = 0;
        int inDoubt = 0;
        for (String key : history.keys()) {
            List<Op> all = history.ops(key);
            List<Op> kept = new ArrayList<>();
            for (Op op : all) {
                boolean doubtfulRead = op.outcome() == Outcome.INDETERMINATE && op.input().kind() == Input.Kind.GET;
                if (op.outcome() == Outcome.FAILED_NOT_APPLIED || doubtfulRead) {
                    dropped++;
                } else {
                    kept.add(op);
                    inDoubt += op.definite() ? 0 : 1;
                }
            }
            KeySearch search = new KeySearch(key, history, kept);
            String impossible = impossibleRead(history, all, kept);
            if (impossible != null) {
                violations.put(key, "NOT LINEARIZABLE: key \"" + key + "\" (" + search.size() + "): " + impossible);
            } else {
                searches.add(search);
            }
        }

        Verdict[] verdicts = run(searches, deadline);
        long millis = (System.nanoTime() - start) / 1_000_000;

        KeySearch undecided = null;
        long explored = 0;
        for (int i = 0; i < searches.size(); i++) {
            KeySearch search = searches.get(i);
            explored += search.explored();
            if (verdicts[i] == Verdict.NOT_LINEARIZABLE) {
                violations.put(search.key(), "NOT LINEARIZABLE: key \"" + search.key() + "\" (" + search.size() + "; "
                        + search.explored() + " configurations explored) has no linearization.\n" + search.report());
            } else if (verdicts[i] == Verdict.UNKNOWN && undecided == null) {
                undecided = search;
            }
        }
        if (!violations.isEmpty()) {
            String first = violations.keySet().iterator().next();
            StringBuilder text = new StringBuilder(violations.get(first));
            if (violations.size() > 1) {
                text.append("Also not linearizable:");
                for (String other : violations.keySet()) {
                    if (!other.equals(first)) {
                        text.append(" \"").append(other).append('"');
                    }
                }
                text.append('\n');
            }
            return new Result(Verdict.NOT_LINEARIZABLE, first, text.toString());
        }
        if (undecided != null) {
            return new Result(Verdict.UNKNOWN, undecided.key(), "UNKNOWN: linearizability not decided within "
                    + timeout + " (" + millis + " ms): key \"" + undecided.key() + "\" (" + undecided.size()
                    + ") still undecided after exploring " + undecided.explored() + " configurations. Treat as a"
                    + " failure. The search grows with ops per key and, above all, with in-doubt ops per key: spread"
                    + " the ops over more keys.\n" + undecided.report());
        }
        return new Result(Verdict.LINEARIZABLE, null, "linearizable: " + history.size() + " ops on "
                + searches.size() + " keys (" + inDoubt + " indeterminate, " + dropped + " dropped as not applied or"
                + " in-doubt reads), " + explored + " configurations explored in " + millis + " ms");
    }

    /**
     * A quick necessary condition, so the commonest violation needs no search: every value a GET reads was written
     * by an op that may have applied (a PUT, or a CAS that succeeded or is in doubt) and was called before the GET
     * returned. Describes the earliest read breaking it, or returns null.
     */
    private static String impossibleRead(History history, List<Op> all, List<Op> kept) {
        Map<Long, Long> firstWrite = new HashMap<>();
        for (Op op : kept) {
            Input.Kind kind = op.input().kind();
            boolean mayWrite = kind == Input.Kind.PUT
                    || (kind == Input.Kind.CAS && (!op.definite() || op.output().code() == Output.Code.OK));
            if (mayWrite) {
                firstWrite.merge(op.input().value(), op.callNanos(), Math::min);
            }
        }
        for (Op op : kept) {
            if (op.definite() && op.input().kind() == Input.Kind.GET && op.output().code() == Output.Code.OK) {
                long v = op.output().value();
                Long written = firstWrite.get(v);
                if (written == null || written > op.returnNanos()) {
                    StringBuilder text = new StringBuilder("no op that may have applied and was called before it"
                            + " returned writes the value it read:\n  ").append(history.line(op)).append('\n')
                            .append("Ops writing ").append(v).append(':');
                    int writers = 0;
                    for (Op other : all) {
                        Input.Kind kind = other.input().kind();
                        if ((kind == Input.Kind.PUT || kind == Input.Kind.CAS) && other.input().value() == v) {
                            text.append("\n  ").append(history.line(other));
                            writers++;
                        }
                    }
                    return text.append(writers == 0 ? " none\n" : "\n").toString();
                }
            }
        }
        return null;
    }

    /**
     * Runs the searches on up to one thread per core until {@code deadline}. A violation does not stop the other
     * keys, so which keys are reported does not depend on thread timing.
     */
    private static Verdict[] run(List<KeySearch> searches, long deadline) {
        Verdict[] verdicts = new Verdict[searches.size()];
        Arrays.fill(verdicts, Verdict.UNKNOWN);
        if (searches.isEmpty()) {
            return verdicts;
        }
        AtomicBoolean interrupted = new AtomicBoolean();
        BooleanSupplier stop = () -> interrupted.get() || System.nanoTime() - deadline > 0;
        int threads = Math.min(searches.size(), Runtime.getRuntime().availableProcessors());
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lincheck-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Verdict>> futures = new ArrayList<>();
            for (KeySearch search : searches) {
                futures.add(pool.submit(() -> search.run(stop)));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    verdicts[i] = futures.get(i).get();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("checking key \"" + searches.get(i).key() + "\" failed",
                            e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return verdicts;
    }

    private static long budgetNanos(Duration timeout) {
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }
}
