package io.partita.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One fault a {@link FaultSchedule} injects into a {@link ProcessCluster} beside a workload, and heals again: a
 * small object in the spirit of FoundationDB's simulation, so a schedule composes them and a seed replays them.
 * {@link #inject} and {@link #heal} are called once each, in that order, from one thread.
 */
interface Fault {

    /** What the fault does, for the printed schedule. */
    String describe();

    /** Breaks something; returns once the fault is in force. */
    void inject(FaultContext ctx) throws Exception;

    /** Undoes {@link #inject}; returns once the cluster is whole again (restarted nodes ready). */
    void heal(FaultContext ctx) throws Exception;

    /** Several faults at once, injected in order and healed in reverse order. */
    static Fault all(Fault... faults) {
        return new All(List.of(faults));
    }

    /**
     * The node a fault hits: a fixed node, or whichever node leads Raft group {@code group} when the fault starts
     * (node {@code node} if no leader is known then). Leaders are where most faults hurt.
     */
    record Target(int node, int group) {
        static Target node(int node) {
            return new Target(node, -1);
        }

        static Target leaderOf(int group, int fallback) {
            return new Target(fallback, group);
        }

        int resolve(FaultContext ctx) {
            if (group < 0) {
                return node;
            }
            int leader = ctx.cluster().leaderOf(group);
            return leader >= 0 ? leader : node;
        }

        @Override
        public String toString() {
            return group < 0 ? "n" + (node + 1) : "the leader of group " + group + " (else n" + (node + 1) + ")";
        }
    }

    /** kill -9 a node; healed by starting it again on the same data. */
    final class Kill implements Fault {
        private final Target target;
        private int node = -1;

        Kill(Target target) {
            this.target = target;
        }

        @Override
        public String describe() {
            return "kill -9 " + target;
        }

        @Override
        public void inject(FaultContext ctx) throws Exception {
            node = target.resolve(ctx);
            ctx.event("kill -9 n" + (node + 1));
            ctx.cluster().node(node).kill9();
        }

        @Override
        public void heal(FaultContext ctx) throws Exception {
            ctx.restart(node, List.of());
        }
    }

    /** SIGSTOP a node (it keeps its sockets, answers nothing); healed by SIGCONT. */
    final class Pause implements Fault {
        private final Target target;
        private int node = -1;

        Pause(Target target) {
            this.target = target;
        }

        @Override
        public String describe() {
            return "SIGSTOP " + target;
        }

        @Override
        public void inject(FaultContext ctx) throws Exception {
            node = target.resolve(ctx);
            ctx.event("SIGSTOP n" + (node + 1));
            ctx.cluster().node(node).signal("STOP");
        }

        @Override
        public void heal(FaultContext ctx) throws Exception {
            ctx.event("SIGCONT n" + (node + 1));
            ctx.cluster().node(node).signal("CONT");
        }
    }

    /** Which of an isolated node's Raft traffic a {@link Partition} black-holes. */
    enum Direction {
        /** What the node sends is dropped; it still hears the others. */
        OUT,
        /** What the others send to the node is dropped; they still hear it. */
        IN,
        /** Both ways. */
        BOTH
    }

    /**
     * Cuts one node's Raft traffic with the others, one way or both ways ({@link PartitionProxy}); healed by
     * restoring the network. A partition that dropped no byte was not a partition: that is reported as a problem.
     */
    final class Partition implements Fault {
        private final Target target;
        private final Direction direction;
        private int node = -1;
        private long droppedBefore;

        Partition(Target target, Direction direction) {
            this.target = target;
            this.direction = direction;
        }

        @Override
        public String describe() {
            return "partition " + target + switch (direction) {
                case OUT -> " one way (its messages to the others dropped)";
                case IN -> " one way (the others' messages to it dropped)";
                case BOTH -> " both ways";
            };
        }

        @Override
        public void inject(FaultContext ctx) {
            node = target.resolve(ctx);
            droppedBefore = ctx.cluster().network().droppedBytes();
            ctx.event("partition n" + (node + 1) + " " + direction);
            ctx.cluster().network().isolate(node, direction != Direction.IN, direction != Direction.OUT);
        }

        @Override
        public void heal(FaultContext ctx) {
            PartitionProxy network = ctx.cluster().network();
            long dropped = network.droppedBytes() - droppedBefore;
            network.healAll();
            ctx.event("heal the partition of n" + (node + 1) + " (" + dropped + " bytes dropped)");
            if (dropped == 0) {
                ctx.problem("the partition of n" + (node + 1) + " " + direction + " dropped no Raft traffic");
            }
        }
    }

    /**
     * kill -9 a node and delete its data directory, as after a lost disk; healed by starting it empty, so it must
     * rejoin its groups through re-admission and catch up from the others.
     */
    final class WipeDisk implements Fault {
        private final Target target;
        private int node = -1;

        WipeDisk(Target target) {
            this.target = target;
        }

        @Override
        public String describe() {
            return "kill -9 " + target + " and wipe its data directory";
        }

        @Override
        public void inject(FaultContext ctx) throws Exception {
            node = target.resolve(ctx);
            ctx.event("kill -9 n" + (node + 1) + " and wipe its data directory");
            ctx.cluster().node(node).kill9();
            deleteRecursively(ctx.cluster().config(node).dataDir());
        }

        @Override
        public void heal(FaultContext ctx) throws Exception {
            ctx.restart(node, List.of());
        }

        private static void deleteRecursively(Path dir) throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /**
     * Restarts a node with its record clock ({@link ClockOffset}) off by {@code offset}, as after a bad NTP step;
     * healed by restarting it with the true clock.
     */
    final class ClockSkew implements Fault {
        private final Target target;
        private final Duration offset;
        private int node = -1;

        ClockSkew(Target target, Duration offset) {
            this.target = target;
            this.offset = offset;
        }

        @Override
        public String describe() {
            return "restart " + target + " with its clock " + Math.abs(offset.toMillis()) + " ms "
                    + (offset.isNegative() ? "behind" : "ahead");
        }

        @Override
        public void inject(FaultContext ctx) throws Exception {
            node = target.resolve(ctx);
            ctx.event("kill -9 n" + (node + 1) + ", restart it with clock offset " + offset.toMillis() + " ms");
            ctx.cluster().node(node).kill9();
            ctx.restart(node, List.of("-D" + ClockOffset.PROPERTY + "=" + offset.toMillis() + "ms"));
        }

        @Override
        public void heal(FaultContext ctx) throws Exception {
            ctx.event("kill -9 n" + (node + 1) + ", restart it with the true clock");
            ctx.cluster().node(node).kill9();
            ctx.restart(node, List.of());
        }
    }

    /** Faults in force together. */
    final class All implements Fault {
        private final List<Fault> faults;
        private final List<Fault> injected = new ArrayList<>();

        All(List<Fault> faults) {
            this.faults = List.copyOf(faults);
        }

        @Override
        public String describe() {
            return String.join(" + ", faults.stream().map(Fault::describe).toList());
        }

        @Override
        public void inject(FaultContext ctx) throws Exception {
            for (Fault f : faults) {
                f.inject(ctx);
                injected.add(f);
            }
        }

        @Override
        public void heal(FaultContext ctx) throws Exception {
            Exception first = null;
            for (int i = injected.size() - 1; i >= 0; i--) {
                try {
                    injected.get(i).heal(ctx);
                } catch (Exception e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
