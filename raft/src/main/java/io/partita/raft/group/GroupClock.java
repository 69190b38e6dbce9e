package io.partita.raft.group;

import io.partita.engine.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One group's time on this node: never earlier than the node's clock, than the group's time in its applied log
 * (the latest leader stamp applied, see {@link io.partita.engine.storage.AppliedPosition#timeMs()}), or than any
 * time it returned before. Everything that stamps a write or judges expiry for a group asks this clock, so after a
 * failover to a node whose clock is behind, or a step back of the node's clock, a record that read as expired does
 * not read as present again, and a new write's last-update time is not below an earlier one's.
 *
 * <p>The price of monotonic time: if a leader's clock ran ahead, the group keeps that time until the real clocks
 * catch up (records with a TTL expire early by the difference). Keep the nodes' clocks synchronised (NTP).
 */
public final class GroupClock implements Clock {
    private final Clock node;
    private final AtomicLong floor = new AtomicLong(Long.MIN_VALUE);

    /** A group clock over the node's clock. */
    public GroupClock(Clock node) {
        this.node = node;
    }

    /** The later of the node's clock and every time this clock returned or was told was applied. */
    @Override
    public long nowMs() {
        long now = node.nowMs();
        long f = floor.get();
        // Monotonic across calls too: a read that judged a record expired is never contradicted by a later read.
        return now > f ? floor.accumulateAndGet(now, Math::max) : f;
    }

    /** The group's state machine applied an entry at group time {@code timeMs} (or loaded a position with it). */
    public void applied(long timeMs) {
        floor.accumulateAndGet(timeMs, Math::max);
    }
}
