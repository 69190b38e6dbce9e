package io.partita.server.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.server.lincheck.LinearizabilityChecker.Result;
import io.partita.server.lincheck.LinearizabilityChecker.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checker on hand-written histories (each model rule, each outcome, per-key reports), on large random histories
 * of real executions (linearizable) and their mutations (not), on small random histories against an exhaustive
 * search, and the recorder from real threads.
 */
class LinearizabilityCheckerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String K = "k";

    private final List<Op> ops = new ArrayList<>();

    // ---- hand-written histories; times are in arbitrary nanos ----

    @Test
    void sequentialHistoryIsLinearizable() {
        op(K, Input.get(), 0, 1, Output.notFound());
        op(K, Input.put(1), 10, 11, Output.ok(1));
        op(K, Input.get(), 20, 21, Output.found(1, 1));
        op(K, Input.cas(1, 2), 30, 31, Output.ok(2));
        op(K, Input.cas(1, 3), 40, 41, Output.generationError());
        op(K, Input.put(4), 50, 51, Output.ok());
        op(K, Input.get(), 60, 61, Output.found(4, 3));
        op(K, Input.delete(), 70, 71, Output.ok());
        op(K, Input.get(), 80, 81, Output.notFound());
        op(K, Input.delete(), 90, 91, Output.notFound());
        op(K, Input.cas(3, 9), 100, 101, Output.notFound());
        op(K, Input.put(5), 110, 111, Output.ok(1));
        op(K, Input.get(), 120, 121, Output.found(5, Output.UNKNOWN_GENERATION));

        Result result = check();
        assertTrue(result.linearizable(), result.explanation());
        assertEquals(Verdict.LINEARIZABLE, result.verdict());
        assertNull(result.key());
        result.assertLinearizable();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void overlappingWritesAndAReadSeeingEitherValueAreLinearizable(long seen) {
        op(K, Input.put(1), 0, 100, Output.ok());
        op(K, Input.put(2), 10, 90, Output.ok());
        op(K, Input.get(), 50, 150, Output.found(seen, Output.UNKNOWN_GENERATION));
        op(K, Input.get(), 200, 210, Output.found(seen, 2));
        op(K, Input.get(), 220, 230, Output.found(seen, 2));

        assertLinearizable();
    }

    @Test
    void aReadCannotFlipBetweenOverlappingWritesOnceTheyCompleted() {
        op(K, Input.put(1), 0, 100, Output.ok());
        op(K, Input.put(2), 10, 90, Output.ok());
        op(K, Input.get(), 200, 210, Output.found(2, 2));
        op(K, Input.get(), 220, 230, Output.found(1, 2));

        assertViolation(K);
    }

    @Test
    void twoWritesLeaveGenerationTwo() {
        op(K, Input.put(1), 0, 100, Output.ok());
        op(K, Input.put(2), 10, 90, Output.ok());
        op(K, Input.get(), 200, 210, Output.found(1, 1));

        assertViolation(K);
    }

    @Test
    void staleReadAfterACompletedWriteIsNotLinearizable() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        op(K, Input.put(2), 20, 30, Output.ok(2));
        Op stale = op(K, Input.get(), 40, 50, Output.found(1, 1));

        Result result = assertViolation(K);
        String text = result.explanation();
        assertTrue(text.contains("Longest linearizable prefix found: 2 of 3 definite ops"), text);
        assertTrue(text.contains("State after the prefix: (2, gen 2)"), text);
        assertTrue(text.contains("Stuck: " + stale), text);
        assertTrue(text.contains("rejected, the model answers (2, gen 2)"), text);
    }

    @Test
    void readOfAValueNeverWrittenIsNotLinearizable() {
        op(K, Input.put(1), 0, 10, Output.ok());
        op(K, Input.get(), 5, 15, Output.found(7, Output.UNKNOWN_GENERATION));

        assertViolation(K);
    }

    @Test
    void lostAcknowledgedWriteReadAsAbsentIsNotLinearizable() {
        op(K, Input.put(1), 0, 10, Output.ok());
        op(K, Input.get(), 20, 30, Output.notFound());

        assertViolation(K);
    }

    @Test
    void lostAcknowledgedWriteReadAsTheOlderValueIsNotLinearizable() {
        op(K, Input.put(1), 0, 10, Output.ok());
        op(K, Input.put(2), 20, 30, Output.ok());
        op(K, Input.get(), 40, 50, Output.found(2, 2));
        op(K, Input.get(), 60, 70, Output.found(1, 1));

        assertViolation(K);
    }

    @Test
    void twoConcurrentCasOnOneGenerationCannotBothWin() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        op(K, Input.cas(1, 2), 20, 40, Output.ok());
        op(K, Input.cas(1, 3), 25, 45, Output.ok());

        assertViolation(K);
    }

    @Test
    void concurrentCasWithOneWinnerIsLinearizable() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        op(K, Input.cas(1, 2), 20, 40, Output.generationError());
        op(K, Input.cas(1, 3), 25, 45, Output.ok(2));
        op(K, Input.get(), 50, 60, Output.found(3, 2));

        assertLinearizable();
    }

    @Test
    void casOnAnAbsentRecordIsKeyNotFoundAndNeverCreates() {
        op(K, Input.cas(1, 2), 0, 10, Output.notFound());
        op(K, Input.get(), 20, 30, Output.notFound());
        assertLinearizable();

        ops.clear();
        op(K, Input.cas(1, 2), 0, 10, Output.ok());
        assertViolation(K);

        ops.clear();
        op(K, Input.cas(1, 2), 0, 10, Output.generationError());
        assertViolation(K);
    }

    @Test
    void casAnswersGenerationErrorOnlyOnAMismatch() {
        op(K, Input.put(1), 0, 10, Output.ok());
        op(K, Input.cas(1, 2), 20, 30, Output.generationError());

        assertViolation(K);
    }

    @Test
    void deleteMustMatchExistence() {
        op(K, Input.delete(), 0, 10, Output.ok());
        assertViolation(K);

        ops.clear();
        op(K, Input.put(1), 0, 10, Output.ok());
        op(K, Input.delete(), 20, 30, Output.notFound());
        assertViolation(K);
    }

    @Test
    void aPutReportingTheWrongGenerationIsNotLinearizable() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        op(K, Input.delete(), 20, 30, Output.ok());
        op(K, Input.put(2), 40, 50, Output.ok(2));

        assertViolation(K);
    }

    @Test
    void indeterminatePutWhoseValueIsReadLaterIsLinearizable() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        indeterminate(K, Input.put(2), 20, 30);
        // It may take effect after the client gave up on it.
        op(K, Input.get(), 40, 50, Output.found(1, 1));
        op(K, Input.get(), 100, 110, Output.found(2, 2));

        assertLinearizable();
    }

    @Test
    void indeterminatePutNeverObservedIsLinearizable() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        indeterminate(K, Input.put(2), 20, 30);
        op(K, Input.get(), 100, 110, Output.found(1, 1));
        op(K, Input.put(3), 120, 130, Output.ok(2));

        assertLinearizable();
    }

    @Test
    void indeterminatePutCannotTakeEffectBeforeItsCall() {
        op(K, Input.get(), 0, 10, Output.found(2, 1));
        indeterminate(K, Input.put(2), 20, 30);

        assertViolation(K);
    }

    @Test
    void indeterminatePutAppliesAtMostOnce() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        indeterminate(K, Input.put(2), 20, 30);
        op(K, Input.get(), 100, 110, Output.found(2, 3));

        assertViolation(K);
    }

    @Test
    void indeterminateDeleteAndCasMayOrMayNotApply() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        indeterminate(K, Input.cas(1, 2), 20, 30);
        indeterminate(K, Input.delete(), 40, 50);
        op(K, Input.get(), 60, 70, Output.found(2, 2));
        op(K, Input.get(), 80, 90, Output.notFound());
        assertLinearizable();

        ops.clear();
        op(K, Input.put(1), 0, 10, Output.ok(1));
        indeterminate(K, Input.cas(1, 2), 20, 30);
        indeterminate(K, Input.delete(), 40, 50);
        op(K, Input.get(), 60, 70, Output.found(1, 1));
        assertLinearizable();
    }

    @Test
    void indeterminateReadsAreIgnored() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        indeterminate(K, Input.get(), 20, 30);
        op(K, Input.get(), 40, 50, Output.found(1, 1));

        assertLinearizable();
    }

    @Test
    void failedPutWhoseValueIsReadIsNotLinearizable() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        failed(K, Input.put(2), 20, 30);
        op(K, Input.get(), 40, 50, Output.found(2, 2));

        assertViolation(K);
    }

    @Test
    void failedPutHasNoEffectEvenOnTheGeneration() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        failed(K, Input.put(2), 20, 30);
        op(K, Input.put(3), 40, 50, Output.ok(2));
        op(K, Input.get(), 60, 70, Output.found(3, 2));

        assertLinearizable();
    }

    @Test
    void keysAreCheckedIndependentlyAndTheViolatingKeyIsNamed() {
        op("a", Input.put(1), 0, 10, Output.ok(1));
        op("b", Input.put(1), 0, 10, Output.ok(1));
        op("a", Input.put(2), 20, 30, Output.ok(2));
        op("b", Input.put(2), 20, 30, Output.ok(2));
        op("a", Input.get(), 40, 50, Output.found(2, 2));
        op("b", Input.get(), 40, 50, Output.found(1, 1));

        Result result = assertViolation("b");
        assertTrue(result.explanation().startsWith("NOT LINEARIZABLE: key \"b\" (3 ops, 0 indeterminate; "),
                result.explanation());
        assertFalse(result.explanation().contains("\"a\""), result.explanation());

        op("c", Input.get(), 60, 70, Output.found(9, 1));
        result = assertViolation("b");
        assertTrue(result.explanation().contains("Also not linearizable: \"c\""), result.explanation());
    }

    @Test
    void writesToOneKeyAreInvisibleOnAnother() {
        op("a", Input.put(1), 0, 10, Output.ok(1));
        op("b", Input.get(), 20, 30, Output.found(1, 1));

        assertViolation("b");
    }

    @Test
    void equalTimestampsAreTreatedAsConcurrent() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        op(K, Input.get(), 10, 20, Output.notFound());

        assertLinearizable();
    }

    @Test
    void emptyHistoryIsLinearizable() {
        assertLinearizable();
    }

    @Test
    void timeoutGivesUnknownWhichFailsTheAssertion() {
        op(K, Input.put(1), 0, 10, Output.ok(1));
        op(K, Input.get(), 20, 30, Output.found(1, 1));

        Result result = LinearizabilityChecker.check(History.of(ops), Duration.ZERO);
        assertEquals(Verdict.UNKNOWN, result.verdict());
        assertFalse(result.linearizable());
        assertEquals(K, result.key());
        AssertionError e = assertThrows(AssertionError.class, result::assertLinearizable);
        assertTrue(e.getMessage().startsWith("UNKNOWN: linearizability not decided within PT0S"), e.getMessage());
    }

    @Test
    void opsRejectMalformedRecords() {
        assertThrows(IllegalArgumentException.class,
                () -> new Op(0, "t", K, Input.get(), Outcome.DEFINITE, null, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Op(0, "t", K, Input.put(1), Outcome.INDETERMINATE, Output.ok(), 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Op(0, "t", K, Input.put(1), Outcome.DEFINITE, Output.generationError(), 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Op(0, "t", K, Input.delete(), Outcome.DEFINITE, Output.ok(2), 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Op(0, "t", K, Input.put(1), Outcome.DEFINITE, Output.ok(), 5, 4));
        assertThrows(IllegalArgumentException.class, () -> Input.cas(0, 1));
        assertThrows(IllegalArgumentException.class, () -> Output.ok(0));
        assertThrows(IllegalArgumentException.class, () -> History.of(List.of(
                new Op(1, "t", K, Input.get(), Outcome.INDETERMINATE, null, 0, 1),
                new Op(1, "t", K, Input.get(), Outcome.INDETERMINATE, null, 0, 1))));
    }

    // ---- randomized: histories of real sequential executions, with random overlapping intervals ----

    @ParameterizedTest(name = "seed {0}: {1} keys, {2} clients x {3} ops, {4}% in doubt")
    @CsvSource({"1, 3, 8, 300, 3", "2, 3, 8, 300, 3", "3, 3, 8, 900, 3", "4, 1, 8, 300, 3", "5, 2, 16, 200, 3",
        "6, 3, 8, 300, 10"})
    void randomHistoriesOfASequentialExecutionAreLinearizable(long seed, int keys, int threads, int opsPerThread,
                                                               int inDoubtPercent) {
        List<Op> history = RandomHistory.generate(seed, keys, threads, opsPerThread, inDoubtPercent);

        Result result = LinearizabilityChecker.check(History.of(history), Duration.ofSeconds(5));
        assertEquals(Verdict.LINEARIZABLE, result.verdict(), result.explanation());
    }

    @ParameterizedTest(name = "seed {0}: {1} keys, {2} clients x {3} ops, {4}% in doubt")
    @CsvSource({"1, 3, 8, 300, 3", "4, 1, 8, 300, 3", "6, 3, 8, 300, 10"})
    void aReadOfAValueNeverWrittenMakesARandomHistoryFail(long seed, int keys, int threads, int opsPerThread,
                                                          int inDoubtPercent) {
        List<Op> history = RandomHistory.generate(seed, keys, threads, opsPerThread, inDoubtPercent);
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> reads = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            Op op = history.get(i);
            if (op.definite() && op.input().kind() == Input.Kind.GET) {
                reads.add(i);
            }
        }
        int victim = reads.get(random.nextInt(reads.size()));
        Op read = history.get(victim);
        Op mutated = new Op(read.id(), read.client(), read.key(), read.input(), Outcome.DEFINITE,
                Output.found(-1, read.output().generation()), read.callNanos(), read.returnNanos());
        history.set(victim, mutated);

        Result result = LinearizabilityChecker.check(History.of(history), Duration.ofSeconds(5));
        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict(), result.explanation());
        assertEquals(read.key(), result.key());
        assertTrue(result.explanation().contains(mutated.toString()), result.explanation());
    }

    @ParameterizedTest(name = "seed {0}: {1} keys, {2} clients x {3} ops, {4}% in doubt")
    @CsvSource({"1, 3, 8, 300, 3", "2, 3, 8, 300, 3", "3, 3, 8, 300, 3", "4, 1, 8, 300, 1", "5, 1, 8, 300, 0"})
    void aStaleReadMakesARandomHistoryFail(long seed, int keys, int threads, int opsPerThread, int inDoubtPercent) {
        List<Op> history = RandomHistory.generate(seed, keys, threads, opsPerThread, inDoubtPercent);
        Op stale = staleRead(history, new SplittableRandom(seed));

        Result result = LinearizabilityChecker.check(History.of(history), Duration.ofSeconds(5));
        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict(), result.explanation());
        assertEquals(stale.key(), result.key());
        // Every op called before the stale read returned fits in a linearization, so the search stops at that read.
        assertTrue(result.explanation().contains("Stuck: " + stale), result.explanation());
    }

    /**
     * Turns a random definite GET of {@code history} into a stale read: it now reads the value of a PUT that returned
     * before another PUT was called that returned before the GET was called. Values are unique, so nothing else can
     * have written it since. Returns the mutated GET.
     */
    private static Op staleRead(List<Op> history, SplittableRandom random) {
        int start = random.nextInt(history.size());
        for (int k = 0; k < history.size(); k++) {
            int i = (start + k) % history.size();
            Op read = history.get(i);
            if (!read.definite() || read.input().kind() != Input.Kind.GET) {
                continue;
            }
            Op overwrite = latestPutReturnedBefore(history, read.key(), read.callNanos());
            Op stale = overwrite == null ? null : latestPutReturnedBefore(history, read.key(), overwrite.callNanos());
            if (stale != null) {
                Op mutated = new Op(read.id(), read.client(), read.key(), read.input(), Outcome.DEFINITE,
                        Output.found(stale.input().value(), Output.UNKNOWN_GENERATION), read.callNanos(),
                        read.returnNanos());
                history.set(i, mutated);
                return mutated;
            }
        }
        throw new IllegalStateException("no read follows two sequential puts");
    }

    private static Op latestPutReturnedBefore(List<Op> history, String key, long nanos) {
        Op latest = null;
        for (Op op : history) {
            if (op.definite() && op.key().equals(key) && op.input().kind() == Input.Kind.PUT && op.returnNanos() < nanos
                    && (latest == null || op.returnNanos() > latest.returnNanos())) {
                latest = op;
            }
        }
        return latest;
    }

    // ---- small random histories, against an exhaustive search ----

    @Test
    void smallRandomHistoriesAgreeWithAnExhaustiveSearch() {
        SplittableRandom random = new SplittableRandom(42);
        int trials = 3000;
        int linearizable = 0;
        for (int t = 0; t < trials; t++) {
            History history = History.of(smallHistory(random));
            boolean expected = BruteForce.linearizable(history.ops());
            Result result = LinearizabilityChecker.check(history, TIMEOUT);
            assertEquals(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE, result.verdict(),
                    () -> history.format() + result.explanation());
            linearizable += expected ? 1 : 0;
        }
        assertTrue(linearizable > trials / 5 && linearizable < trials * 4 / 5,
                linearizable + " of " + trials + " linearizable: the trials should mix both verdicts");
    }

    /**
     * Up to 8 ops on one key with few distinct values and generations and many equal timestamps, from a real
     * execution (with in-doubt ops applied or not, and failed ops not applied); half of the time one definite answer
     * is then replaced by a random one.
     */
    private static List<Op> smallHistory(SplittableRandom random) {
        int n = random.nextInt(1, 9);
        long[] effect = new long[n];
        List<Op> ops = new ArrayList<>();
        Input[] inputs = new Input[n];
        Outcome[] outcomes = new Outcome[n];
        long[] call = new long[n];
        long[] ret = new long[n];
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(4);
            long value = random.nextInt(1, 4);
            inputs[i] = kind == 0 ? Input.put(value) : kind == 1 ? Input.get()
                    : kind == 2 ? Input.cas(random.nextInt(1, 4), value) : Input.delete();
            call[i] = random.nextInt(30);
            ret[i] = call[i] + random.nextInt(11);
            int fate = random.nextInt(100);
            outcomes[i] = fate < 15 ? Outcome.FAILED_NOT_APPLIED : fate < 45 ? Outcome.INDETERMINATE : Outcome.DEFINITE;
            boolean applies = outcomes[i] == Outcome.DEFINITE
                    || (outcomes[i] == Outcome.INDETERMINATE && random.nextBoolean());
            effect[i] = !applies ? -1 : outcomes[i] == Outcome.DEFINITE ? random.nextLong(call[i], ret[i] + 1)
                    : random.nextLong(call[i], call[i] + 40);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> effect[i]));
        Output[] outputs = new Output[n];
        long[] record = new long[2];
        for (int i : order) {
            if (effect[i] >= 0) {
                Output out = ReferenceStore.apply(record, inputs[i]);
                outputs[i] = random.nextBoolean() || out.code() != Output.Code.OK ? out
                        : new Output(Output.Code.OK, out.value(), Output.UNKNOWN_GENERATION);
            }
        }
        List<Integer> definite = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (outcomes[i] == Outcome.DEFINITE) {
                definite.add(i);
            }
        }
        if (!definite.isEmpty() && random.nextBoolean()) {
            int i = definite.get(random.nextInt(definite.size()));
            outputs[i] = randomOutput(random, inputs[i].kind());
        }
        for (int i = 0; i < n; i++) {
            ops.add(new Op(i, "c" + i, K, inputs[i], outcomes[i], outcomes[i] == Outcome.DEFINITE ? outputs[i] : null,
                    call[i], ret[i]));
        }
        return ops;
    }

    private static Output randomOutput(SplittableRandom random, Input.Kind kind) {
        int generation = random.nextInt(5);
        switch (kind) {
            case PUT:
                return generation == 0 ? Output.ok() : Output.ok(generation);
            case GET:
                return random.nextInt(4) == 0 ? Output.notFound() : Output.found(random.nextInt(1, 4), generation);
            case CAS:
                int code = random.nextInt(3);
                return code == 0 ? Output.notFound() : code == 1 ? Output.generationError()
                        : generation == 0 ? Output.ok() : Output.ok(generation);
            default:
                return random.nextBoolean() ? Output.ok() : Output.notFound();
        }
    }

    /** Linearizability by trying every subset of the in-doubt ops in every order real time allows. */
    private static final class BruteForce {
        static boolean linearizable(List<Op> history) {
            List<Op> definite = new ArrayList<>();
            List<Op> inDoubt = new ArrayList<>();
            for (Op op : history) {
                if (op.definite()) {
                    definite.add(op);
                } else if (op.outcome() == Outcome.INDETERMINATE) {
                    inDoubt.add(op);
                }
            }
            for (int subset = 0; subset < 1 << inDoubt.size(); subset++) {
                List<Op> ops = new ArrayList<>(definite);
                for (int i = 0; i < inDoubt.size(); i++) {
                    if ((subset & 1 << i) != 0) {
                        ops.add(inDoubt.get(i));
                    }
                }
                if (order(ops, new boolean[ops.size()], 0, new long[2])) {
                    return true;
                }
            }
            return false;
        }

        private static boolean order(List<Op> ops, boolean[] placed, int count, long[] record) {
            if (count == ops.size()) {
                return true;
            }
            for (int i = 0; i < ops.size(); i++) {
                if (placed[i] || !mayGoNext(ops, placed, i)) {
                    continue;
                }
                long[] after = record.clone();
                Output actual = ReferenceStore.apply(after, ops.get(i).input());
                if (ops.get(i).definite() && !matches(ops.get(i).output(), actual)) {
                    continue;
                }
                placed[i] = true;
                if (order(ops, placed, count + 1, after)) {
                    return true;
                }
                placed[i] = false;
            }
            return false;
        }

        /** No op left to place returned (definitely) before op {@code i} was called. */
        private static boolean mayGoNext(List<Op> ops, boolean[] placed, int i) {
            for (int j = 0; j < ops.size(); j++) {
                if (!placed[j] && j != i && ops.get(j).definite()
                        && ops.get(j).returnNanos() < ops.get(i).callNanos()) {
                    return false;
                }
            }
            return true;
        }

        private static boolean matches(Output observed, Output actual) {
            return observed.code() == actual.code() && observed.value() == actual.value()
                    && (observed.generation() == Output.UNKNOWN_GENERATION
                            || observed.generation() == actual.generation());
        }
    }

    // ---- the recorder, from real threads ----

    @Test
    void recorderCapturesConcurrentClientsOfALinearizableStore() throws Exception {
        HistoryRecorder recorder = new HistoryRecorder();
        LockedStore store = new LockedStore();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        AtomicLong values = new AtomicLong();
        for (int t = 0; t < threads; t++) {
            long seed = t;
            done.add(pool.submit(() -> {
                go.await();
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < 300; i++) {
                    String key = "key-" + random.nextInt(3);
                    Input input = RandomHistory.randomInput(random, values::incrementAndGet, random.nextInt(1, 4));
                    HistoryRecorder.Call call = recorder.begin(key, input);
                    int fate = random.nextInt(100);
                    if (fate < 3) {
                        call.failed();
                    } else if (fate < 6) {
                        if (random.nextBoolean()) {
                            store.apply(key, input);
                        }
                        call.indeterminate();
                    } else {
                        call.complete(store.apply(key, input));
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

        History history = recorder.history();
        assertEquals(threads * 300, history.size());
        Result result = LinearizabilityChecker.check(history, TIMEOUT);
        assertTrue(result.linearizable(), result.explanation());
    }

    @Test
    void recorderCapturesALaggingReplica() throws Exception {
        HistoryRecorder recorder = new HistoryRecorder();
        LockedStore store = new LockedStore();
        Thread writer = new Thread(() -> {
            long previous = 0;
            for (long v = 1; v <= 5; v++) {
                Input put = Input.put(v);
                HistoryRecorder.Call call = recorder.begin(K, put);
                call.ok(store.apply(K, put).generation());
                if (v > 1) {
                    // A replica one write behind serves the previous value.
                    HistoryRecorder.Call read = recorder.begin(K, Input.get());
                    read.found(previous, (int) v - 1);
                }
                previous = v;
            }
        }, "writer");
        writer.start();
        writer.join();

        Result result = LinearizabilityChecker.check(recorder.history(), TIMEOUT);
        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict(), result.explanation());
        assertTrue(result.explanation().contains("[writer]"), result.explanation());
    }

    @Test
    void uncompletedCallsAreIndeterminateAndCallsCompleteOnce() {
        long[] now = {0};
        HistoryRecorder recorder = new HistoryRecorder(() -> now[0] += 10);
        HistoryRecorder.Call put = recorder.begin(K, Input.put(7));
        HistoryRecorder.Call get = recorder.begin(K, Input.get());
        get.found(7, 1);

        History history = recorder.history();
        assertEquals(2, history.size());
        Op first = history.ops().get(0);
        assertEquals(Outcome.INDETERMINATE, first.outcome());
        assertEquals(10, first.callNanos());
        Op second = history.ops().get(1);
        assertEquals(Output.found(7, 1), second.output());
        assertEquals(20, second.callNanos());
        assertEquals(30, second.returnNanos());
        assertEquals(Thread.currentThread().getName(), second.client());
        assertTrue(LinearizabilityChecker.check(history, TIMEOUT).linearizable());

        assertThrows(IllegalStateException.class, () -> get.found(7, 1));
        assertThrows(IllegalArgumentException.class, () -> recorder.begin(K, Input.get()).ok());
        assertThrows(IllegalArgumentException.class, () -> put.found(7, 1));
        put.ok(1);
        assertEquals(Outcome.DEFINITE, recorder.history().ops().get(0).outcome());
    }

    @Test
    void historyFormatsEveryOpByKey() {
        op("b", Input.put(1), 1_000_000, 2_500_000, Output.ok(1));
        indeterminate("a", Input.delete(), 3_000_000, 4_000_000);
        String text = History.of(ops).format();
        assertEquals("key \"a\":\n"
                + "       2.000 ..          ? ms  #1 DELETE -> INDETERMINATE [t0]\n"
                + "key \"b\":\n"
                + "       0.000 ..      1.500 ms  #0 PUT(1) -> OK gen 1 [t0]\n", text);
    }

    // ---- helpers ----

    private Op op(String key, Input input, long call, long ret, Output output) {
        return add(key, input, Outcome.DEFINITE, output, call, ret);
    }

    private void failed(String key, Input input, long call, long ret) {
        add(key, input, Outcome.FAILED_NOT_APPLIED, null, call, ret);
    }

    private void indeterminate(String key, Input input, long call, long gaveUp) {
        add(key, input, Outcome.INDETERMINATE, null, call, gaveUp);
    }

    private Op add(String key, Input input, Outcome outcome, Output output, long call, long ret) {
        Op op = new Op(ops.size(), "t0", key, input, outcome, output, call, ret);
        ops.add(op);
        return op;
    }

    private Result check() {
        return LinearizabilityChecker.check(History.of(ops), TIMEOUT);
    }

    private void assertLinearizable() {
        Result result = check();
        assertEquals(Verdict.LINEARIZABLE, result.verdict(), result.explanation());
    }

    private Result assertViolation(String key) {
        Result result = check();
        assertEquals(Verdict.NOT_LINEARIZABLE, result.verdict(), result.explanation());
        assertEquals(key, result.key());
        assertThrows(AssertionError.class, result::assertLinearizable);
        return result;
    }

    /** A correct store: every operation runs atomically under one lock. */
    private static final class LockedStore {
        private final Map<String, long[]> records = new HashMap<>();

        synchronized Output apply(String key, Input input) {
            return ReferenceStore.apply(records.computeIfAbsent(key, k -> new long[2]), input);
        }
    }

    /**
     * Histories of a real sequential execution: each simulated client issues ops one after another; each op takes
     * effect at a random instant inside its interval (in-doubt ops possibly after it, or never), and the outputs are
     * those of running the ops in that order against an independent reference store.
     */
    private static final class RandomHistory {
        private static final int FAILED_PERCENT = 2;

        private RandomHistory() {
        }

        static List<Op> generate(long seed, int keys, int threads, int opsPerThread, int inDoubtPercent) {
            SplittableRandom random = new SplittableRandom(seed);
            long[] nextValue = {0};
            List<Planned> planned = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long now = random.nextLong(1_000);
                for (int i = 0; i < opsPerThread; i++) {
                    Planned p = new Planned();
                    p.id = planned.size();
                    p.client = "c" + t;
                    p.key = "key-" + random.nextInt(keys);
                    p.call = now;
                    p.effect = now + random.nextLong(1, 1_000);
                    p.ret = p.effect + random.nextLong(1, 1_000);
                    int fate = random.nextInt(100);
                    if (fate < FAILED_PERCENT) {
                        p.outcome = Outcome.FAILED_NOT_APPLIED;
                        p.effect = -1;
                    } else if (fate < FAILED_PERCENT + inDoubtPercent) {
                        p.outcome = Outcome.INDETERMINATE;
                        p.ret = p.call + 3_000;
                        p.effect = random.nextBoolean() ? -1 : p.call + random.nextLong(1, 10_000);
                    } else {
                        p.outcome = Outcome.DEFINITE;
                    }
                    p.kind = random.nextInt(100);
                    p.value = ++nextValue[0];
                    p.knownGeneration = random.nextInt(100) < 70;
                    planned.add(p);
                    now = p.ret + random.nextLong(200);
                }
            }
            List<Planned> applied = new ArrayList<>();
            for (Planned p : planned) {
                if (p.effect >= 0) {
                    applied.add(p);
                } else {
                    p.input = input(p, random.nextInt(1, 5));
                }
            }
            applied.sort(Comparator.comparingLong((Planned p) -> p.effect));
            Map<String, long[]> store = new HashMap<>();
            for (Planned p : applied) {
                long[] record = store.computeIfAbsent(p.key, k -> new long[2]);
                // A CAS usually expects the current generation, sometimes a stale one.
                int current = (int) record[1];
                p.input = input(p, random.nextInt(100) < 70 && current > 0 ? current : random.nextInt(1, 5));
                p.output = ReferenceStore.apply(record, p.input);
                if (!p.knownGeneration && p.output.code() == Output.Code.OK) {
                    p.output = new Output(Output.Code.OK, p.output.value(), Output.UNKNOWN_GENERATION);
                }
            }
            List<Op> ops = new ArrayList<>();
            for (Planned p : planned) {
                ops.add(new Op(p.id, p.client, p.key, p.input, p.outcome,
                        p.outcome == Outcome.DEFINITE ? p.output : null, p.call, p.ret));
            }
            return ops;
        }

        static Input randomInput(SplittableRandom random, LongSupplier values,
                                 int expectedGeneration) {
            Planned p = new Planned();
            p.kind = random.nextInt(100);
            p.value = values.getAsLong();
            return input(p, expectedGeneration);
        }

        private static Input input(Planned p, int expectedGeneration) {
            if (p.kind < 35) {
                return Input.put(p.value);
            } else if (p.kind < 70) {
                return Input.get();
            } else if (p.kind < 90) {
                return Input.cas(expectedGeneration, p.value);
            }
            return Input.delete();
        }

        private static final class Planned {
            int id;
            String client;
            String key;
            long call;
            long effect;
            long ret;
            Outcome outcome;
            int kind;
            long value;
            boolean knownGeneration;
            Input input;
            Output output;
        }
    }

    /** The record semantics written out plainly, independently of {@link RecordModel}: {value, generation}. */
    private static final class ReferenceStore {
        static Output apply(long[] record, Input input) {
            boolean exists = record[1] != 0;
            switch (input.kind()) {
                case PUT:
                    record[0] = input.value();
                    record[1] = record[1] + 1;
                    return Output.ok((int) record[1]);
                case GET:
                    return exists ? Output.found(record[0], (int) record[1]) : Output.notFound();
                case CAS:
                    if (!exists) {
                        return Output.notFound();
                    }
                    if (record[1] != input.expectedGeneration()) {
                        return Output.generationError();
                    }
                    record[0] = input.value();
                    record[1] = record[1] + 1;
                    return Output.ok((int) record[1]);
                case DELETE:
                    if (!exists) {
                        return Output.notFound();
                    }
                    record[0] = 0;
                    record[1] = 0;
                    return Output.ok();
                default:
                    throw new AssertionError(input.kind());
            }
        }
    }
}
