package io.partita.server.snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this node's snapshot transfers (the throttled copy a replica catches up with, usually a moved one) have sent
 * and received: bytes per group and direction since the node started, and the transfers under way with their
 * progress. Counted as the bytes pass (after the throttle when sending, as written when receiving), so a transfer
 * that breaks off counts what it moved. Thread-safe; one per node, shared by {@link SnapshotTransferService} and
 * {@link PeerSnapshotSource}, read by the metrics and the node status.
 */
public final class SnapshotTransfers {

    /** Which end of a transfer this node is. */
    public enum Direction {
        /** This node serves the snapshot. */
        SENT,
        /** This node fetches it. */
        RECEIVED;

        /** The metric label and JSON value: {@code sent}, {@code received}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One transfer under way, as of the moment it was read.
     *
     * @param peer        the node fetched from when receiving; empty when sending (the request does not name its
     *                    sender)
     * @param bytes       data bytes moved so far
     * @param totalBytes  the snapshot's data bytes, known to the sender from the start; -1 when unknown (the receiver
     *                    learns the size from the manifest, which comes last)
     * @param forMove     receiving only: the plan in force at the start moved the group onto this node
     * @param startedMs   when the transfer started, wall clock (for logs; durations use {@code elapsedNanos})
     * @param elapsedNanos since the transfer started, on this node's monotonic clock
     */
    public record Transfer(Direction direction, int group, String peer, long bytes, long totalBytes, boolean forMove,
                           long startedMs, long elapsedNanos) {
    }

    private record Key(Direction direction, int group) {
    }

    /** Told once of each direction and group that a transfer started for (a metric series to add). */
    public interface Listener {
        void firstTransfer(Direction direction, int group);
    }

    private final Map<Key, LongAdder> bytes = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final LongAdder moveBytesReceived = new LongAdder();
    private final Map<Progress, Boolean> running = new ConcurrentHashMap<>();

    /** Adds a listener, told at once of the directions and groups seen so far. */
    public synchronized void watch(Listener listener) {
        listeners.add(listener);
        bytes.keySet().forEach(k -> listener.firstTransfer(k.direction(), k.group()));
    }

    /** Data bytes moved in {@code direction} for {@code group} since the node started, broken-off transfers too. */
    public long bytes(Direction direction, int group) {
        LongAdder a = bytes.get(new Key(direction, group));
        return a == null ? 0 : a.sum();
    }

    /** Data bytes moved in {@code direction} for every group together since the node started. */
    public long bytes(Direction direction) {
        long sum = 0;
        for (Map.Entry<Key, LongAdder> e : bytes.entrySet()) {
            if (e.getKey().direction() == direction) {
                sum += e.getValue().sum();
            }
        }
        return sum;
    }

    /** Bytes received for groups the plan was moving onto this node (its share of rebalancing's copying). */
    public long moveBytesReceived() {
        return moveBytesReceived.sum();
    }

    /** The transfers under way, by direction then group. */
    public List<Transfer> inProgress() {
        long now = System.nanoTime();
        List<Transfer> out = new ArrayList<>();
        for (Progress p : running.keySet()) {
            out.add(new Transfer(p.direction, p.group, p.peer, p.moved.get(), p.totalBytes, p.forMove, p.startedMs,
                    now - p.startedNanos));
        }
        out.sort(Comparator.comparing(Transfer::direction).thenComparingInt(Transfer::group));
        return out;
    }

    /** How many transfers in {@code direction} are under way. */
    public long inProgress(Direction direction) {
        return running.keySet().stream().filter(p -> p.direction == direction).count();
    }

    /**
     * Starts tracking one transfer; close the returned progress when it ends, however it ends.
     *
     * @param totalBytes -1 when unknown
     * @param forMove    see {@link Transfer#forMove}
     */
    public Progress start(Direction direction, int group, String peer, long totalBytes, boolean forMove) {
        Progress p = new Progress(direction, group, peer, totalBytes, forMove, tally(new Key(direction, group)));
        running.put(p, Boolean.TRUE);
        return p;
    }

    private LongAdder tally(Key key) {
        LongAdder a = bytes.get(key);
        if (a != null) {
            return a;
        }
        synchronized (this) { // with watch(): a listener added meanwhile hears of the key exactly once
            a = bytes.get(key);
            if (a == null) {
                a = new LongAdder();
                bytes.put(key, a);
                for (Listener l : listeners) {
                    l.firstTransfer(key.direction(), key.group());
                }
            }
            return a;
        }
    }

    /** One transfer's tally. */
    public final class Progress implements AutoCloseable {
        private final Direction direction;
        private final int group;
        private final String peer;
        private final long totalBytes;
        private final boolean forMove;
        private final LongAdder groupBytes;
        private final AtomicLong moved = new AtomicLong();
        private final long startedMs = System.currentTimeMillis();
        private final long startedNanos = System.nanoTime();

        private Progress(Direction direction, int group, String peer, long totalBytes, boolean forMove,
                         LongAdder groupBytes) {
            this.direction = direction;
            this.group = group;
            this.peer = peer;
            this.totalBytes = totalBytes;
            this.forMove = forMove;
            this.groupBytes = groupBytes;
        }

        /** Counts {@code n} more data bytes moved. */
        public void add(long n) {
            moved.addAndGet(n);
            groupBytes.add(n);
            if (forMove) {
                moveBytesReceived.add(n);
            }
        }

        /** The transfer ended (done, failed or cancelled): it is no longer under way; its bytes stay counted. */
        @Override
        public void close() {
            running.remove(this);
        }
    }
}
