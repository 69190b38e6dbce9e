package io.partita.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Faults chosen and timed by a seed ({@link Random}), run one after another beside a workload: wait, inject, hold,
 * heal. The same seed gives the same schedule (timings drift with how fast nodes restart), so a failure is replayed
 * by passing its seed back ({@value #SEED_PROPERTY}).
 */
final class FaultSchedule {
    /** System property that replays a run: the seed a failure message printed. */
    static final String SEED_PROPERTY = "partita.faults.seed";

    /** The kinds of fault a schedule may choose. */
    enum Kind { KILL, PAUSE, PARTITION_OUT, PARTITION_IN, PARTITION_BOTH, WIPE_DISK, CLOCK_SKEW }

    /** One step: wait {@code gapMs}, inject {@code fault}, hold it {@code holdMs}, heal it. */
    record Step(long gapMs, Fault fault, long holdMs) {
        @Override
        public String toString() {
            return "after " + gapMs + " ms: " + fault.describe() + ", for " + holdMs + " ms";
        }
    }

    private final long seed;
    private final List<Step> steps;
    /** Steps that run even past the duration (every kind the run must cover once). */
    private final int required;
    private final Duration duration;

    private FaultSchedule(long seed, List<Step> steps, int required, Duration duration) {
        this.seed = seed;
        this.steps = List.copyOf(steps);
        this.required = required;
        this.duration = duration;
    }

    /** The seed from {@value #SEED_PROPERTY} if given, else a fresh one. */
    static long chooseSeed() {
        String given = System.getProperty(SEED_PROPERTY);
        return given == null || given.isBlank() ? new Random().nextLong() : Long.parseLong(given.strip());
    }

    /**
     * A schedule of about {@code duration}: first each kind of {@code mustCover} once (in seeded order), then faults of
     * {@code kinds} chosen at random until the duration is up. With {@code composeEvery > 0}, every
     * {@code composeEvery}-th random step adds a second fault on another node (a pause or a kill) to a partition.
     *
     * @param nodes  nodes in the cluster
     * @param groups Raft groups, for faults aimed at a group's leader
     */
    static FaultSchedule random(long seed, Duration duration, List<Kind> mustCover, List<Kind> kinds, int nodes,
                                int groups, int composeEvery) {
        Random random = new Random(seed);
        List<Kind> first = new ArrayList<>(mustCover);
        Collections.shuffle(first, random);
        List<Step> steps = new ArrayList<>();
        for (Kind kind : first) {
            steps.add(step(random, kind, nodes, groups));
        }
        // Enough random steps to fill the duration whatever the restart times: the runner stops at the deadline.
        for (int i = 1; i <= duration.toSeconds() / 3; i++) {
            Step step = step(random, kinds.get(random.nextInt(kinds.size())), nodes, groups);
            if (composeEvery > 0 && i % composeEvery == 0) {
                int other = random.nextInt(nodes);
                Fault second = random.nextBoolean() ? new Fault.Pause(Fault.Target.node(other))
                        : new Fault.Kill(Fault.Target.node(other));
                int isolated = (other + 1 + random.nextInt(nodes - 1)) % nodes;
                Fault partition = new Fault.Partition(Fault.Target.node(isolated),
                        Fault.Direction.values()[random.nextInt(3)]);
                step = new Step(step.gapMs(), Fault.all(partition, second), step.holdMs());
            }
            steps.add(step);
        }
        return new FaultSchedule(seed, steps, first.size(), duration);
    }

    private static Step step(Random random, Kind kind, int nodes, int groups) {
        int node = random.nextInt(nodes);
        // Half the faults hit a group's leader as it is when the fault starts, half a fixed node.
        Fault.Target target = random.nextBoolean() ? Fault.Target.node(node)
                : Fault.Target.leaderOf(random.nextInt(groups), node);
        Fault fault = switch (kind) {
            case KILL -> new Fault.Kill(target);
            case PAUSE -> new Fault.Pause(target);
            case PARTITION_OUT -> new Fault.Partition(target, Fault.Direction.OUT);
            case PARTITION_IN -> new Fault.Partition(target, Fault.Direction.IN);
            case PARTITION_BOTH -> new Fault.Partition(target, Fault.Direction.BOTH);
            case WIPE_DISK -> new Fault.WipeDisk(target);
            case CLOCK_SKEW -> new Fault.ClockSkew(target,
                    Duration.ofSeconds((random.nextBoolean() ? -1 : 1) * (30 + random.nextInt(600))));
        };
        // Holds longer than the election timeout (TestCluster: at most 1 s), so leaders change.
        return new Step(1_500 + random.nextInt(3_000), fault, 2_000 + random.nextInt(6_000));
    }

    /**
     * Runs the steps until the duration is up (and at least the required ones); a step in progress is always healed.
     * Stops early, healing, when {@code stop} is set. A fault that cannot be injected or healed ends the run with
     * the exception.
     */
    void run(FaultContext ctx, AtomicBoolean stop) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        for (int i = 0; i < steps.size() && !stop.get(); i++) {
            if (i >= required && System.nanoTime() > deadline) {
                break;
            }
            Step step = steps.get(i);
            Thread.sleep(step.gapMs());
            ctx.event("step " + (i + 1) + ": " + step.fault().describe());
            try {
                step.fault().inject(ctx);
                sleepUnless(stop, step.holdMs());
            } finally {
                step.fault().heal(ctx);
            }
        }
    }

    private static void sleepUnless(AtomicBoolean stop, long ms) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        while (!stop.get() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
    }

    /** The seed, how to replay it, and every step: printed with every failure. */
    String describe() {
        StringBuilder b = new StringBuilder("fault schedule seed " + seed + " (replay: -D" + SEED_PROPERTY + "="
                + seed + "), " + duration.toSeconds() + " s, first " + required + " steps always run:");
        for (int i = 0; i < steps.size(); i++) {
            b.append("\n  ").append(i + 1).append(". ").append(steps.get(i));
        }
        return b.toString();
    }
}
