package io.partita.raft.group;

import io.partita.engine.storage.ExpiredRecords;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.time.Clock;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.ResultCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the space of expired records. Reads already hide them; this removes them: every {@code period}, the node
 * sweeps each data group it leads, a bounded step at a time ({@link io.partita.engine.storage.GroupStore#findExpired}),
 * and removes what it found with replicated {@link io.partita.engine.write.WriteKind#EXPIRE} writes, so every replica
 * removes the same records. An expiry carries the generation and expiry the sweep saw and applies only if the record
 * is still that one and has expired at its log entry's time: a rewrite that races the sweep survives. Removals are
 * paced to at most {@code maxPerSecond} per node. A sweep stops at once when the node stops leading the group; the
 * next leader sweeps it from the start.
 */
public final class GroupExpirer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupExpirer.class);
    /** Records read per step of a sweep: bounds the work between leadership checks. */
    static final int STEP_RECORDS = 10_000;
    /** Expiries submitted together (the group writer packs them into log entries). */
    static final int STEP_EXPIRIES = 500;
    private static final long WAIT_SECONDS = 60;

    /**
     * How the expirer runs.
     *
     * @param period       time between sweeps; {@link Duration#ZERO} turns expiry removal off
     * @param maxPerSecond most records removed per second by this node, all groups together
     */
    public record Settings(Duration period, int maxPerSecond) {
        /** No removal (expired records stay hidden until they are rewritten). */
        public static final Settings OFF = new Settings(Duration.ZERO, 1);

        public Settings {
            if (period.isNegative() || maxPerSecond < 1) {
                throw new IllegalArgumentException("period must be >= 0 and maxPerSecond >= 1");
            }
        }
    }

    /** Told what each step did, for metrics. Called on the expirer's thread. */
    public interface Listener {
        /** {@code removed} expired records were removed; {@code kept} had been rewritten (or were gone) meanwhile. */
        void expired(int group, int removed, int kept);

        Listener NONE = (group, removed, kept) -> { };
    }

    private final Settings settings;
    private final GroupOps ops;
    private final NodeStore store;
    private final IntFunction<? extends Clock> clocks;
    private final IntSupplier groupCount;
    private final Listener listener;
    private final ScheduledExecutorService executor;
    private volatile boolean closed;

    /**
     * @param clocks     each group's clock (records expired at that time are removed)
     * @param groupCount the number of data groups
     */
    public GroupExpirer(Settings settings, GroupOps ops, NodeStore store, IntFunction<? extends Clock> clocks,
                        IntSupplier groupCount, Listener listener) {
        this.settings = settings;
        this.ops = ops;
        this.store = store;
        this.clocks = clocks;
        this.groupCount = groupCount;
        this.listener = listener;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "partita-expirer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts sweeping every {@code period} (nothing when the period is zero). */
    public GroupExpirer start() {
        long periodMs = settings.period().toMillis();
        if (periodMs > 0) {
            executor.scheduleWithFixedDelay(this::sweepAll, periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void sweepAll() {
        for (int g = 0; g < groupCount.getAsInt() && !closed; g++) {
            try {
                if (ops.leads(g)) {
                    sweep(g);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                // The next sweep tries again; reads keep hiding what was not removed.
                LOG.warn("Expiry sweep of group {} stopped: {}", g, e.toString());
            }
        }
    }

    /** Sweeps one group from its first record, while this node leads it. */
    void sweep(int g) throws InterruptedException, ExecutionException, TimeoutException {
        byte[] from = null;
        do {
            long started = System.nanoTime();
            ExpiredRecords step = store.group(g).findExpired(from, clocks.apply(g).nowMs(), STEP_RECORDS,
                    STEP_EXPIRIES);
            if (!step.expired().isEmpty()) {
                remove(g, step.expired());
                pace(step.expired().size(), started);
            }
            from = step.next();
        } while (from != null && !closed && ops.leads(g));
    }

    private void remove(int g, List<ExpiredRecords.Expired> expired)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<WriteOp> writes = new ArrayList<>(expired.size());
        for (ExpiredRecords.Expired e : expired) {
            writes.add(WriteOp.expire(e.namespace(), e.digest(), e.generation(), e.voidTimeMs()));
        }
        List<CompletableFuture<WriteOutcome>> outcomes = ops.writeAll(g, writes);
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        int removed = 0;
        int kept = 0;
        for (CompletableFuture<WriteOutcome> o : outcomes) {
            ResultCode code = o.join().code();
            if (code == ResultCode.OK) {
                removed++;
            } else if (code == ResultCode.GENERATION_ERROR || code == ResultCode.KEY_NOT_FOUND) {
                kept++;
            }
            // NOT_LEADER or IN_DOUBT: leadership moved; the next leader's sweep finds what is left.
        }
        listener.expired(g, removed, kept);
    }

    /** Sleeps long enough that {@code removed} removals since {@code startedNanos} stay within the rate. */
    private void pace(int removed, long startedNanos) throws InterruptedException {
        long budgetNanos = TimeUnit.SECONDS.toNanos(removed) / settings.maxPerSecond();
        long left = budgetNanos - (System.nanoTime() - startedNanos);
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }
}
