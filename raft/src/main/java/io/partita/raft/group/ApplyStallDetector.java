package io.partita.raft.group;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decides whether a live replica is stuck: its applied index has stayed the same for at least {@link #STUCK_AFTER}
 * while its own commit index was ahead of it. A replica with nothing to apply (commit index reached) is never
 * stuck, however long it idles; one that applies slowly but steadily is not stuck either (that is lag, reported as
 * catching up). {@link RaftHost} does not ask while the replica starts or takes or installs a snapshot, which hold
 * the apply thread on purpose.
 *
 * <p>Progress is sampled whenever someone asks ({@code /ready}, {@code status}, a metrics scrape), so a stall is
 * reported at the first question at least {@link #STUCK_AFTER} after the first question that saw the same applied
 * index with the commit index ahead. Thread-safe.
 */
public final class ApplyStallDetector {
    /** How long the applied index may stand still behind the commit index before the replica counts as stuck. */
    public static final Duration STUCK_AFTER = Duration.ofSeconds(30);

    /** Per key: the applied index last seen and since when (nanos) it has not moved with work pending. */
    private record Sample(long applied, long sinceNanos) {
    }

    private final Map<Object, Sample> samples = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final long stuckAfterNanos;

    /** A detector on the system's monotonic clock with the {@link #STUCK_AFTER} rule. */
    public ApplyStallDetector() {
        this(System::nanoTime, STUCK_AFTER);
    }

    /** A detector on the given monotonic clock (nanoseconds) and threshold, for tests. */
    public ApplyStallDetector(LongSupplier nanoTime, Duration stuckAfter) {
        this.nanoTime = nanoTime;
        this.stuckAfterNanos = stuckAfter.toNanos();
    }

    /**
     * Records one observation of a replica and tells how long it has been stuck.
     *
     * @param key     the replica (e.g. its group id)
     * @param applied its applied index now
     * @param commit  its commit index now
     * @return nanoseconds the applied index has stood still behind the commit index if that is at least the
     *         threshold, else -1
     */
    public long observe(Object key, long applied, long commit) {
        long now = nanoTime.getAsLong();
        if (commit <= applied) {
            samples.remove(key);
            return -1;
        }
        Sample s = samples.compute(key, (k, old) -> old != null && old.applied() == applied ? old
                : new Sample(applied, now));
        long still = now - s.sinceNanos();
        return still >= stuckAfterNanos ? still : -1;
    }

    /** Forgets a replica (after it stopped or left this node). */
    public void forget(Object key) {
        samples.remove(key);
    }
}
