package io.partita.server.frontend;

import io.partita.raft.group.GroupOps;
import io.partita.raft.group.GroupWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * The dispatch of one Multiplex frame: every group a write of the frame went to is held until the whole frame was
 * dispatched, so the frame's writes to one group leave in one log entry instead of the first leaving alone. Used by
 * the one thread dispatching the frame; {@link #close()} releases every hold.
 */
final class FrameScope implements AutoCloseable {
    private final Map<Integer, GroupWriter.Hold> holds = new HashMap<>();

    /** Holds the group's sending until {@link #close()} (once per group; nothing if this node has no writer for it). */
    void hold(GroupOps groups, int group) {
        if (!holds.containsKey(group)) {
            holds.put(group, groups.hold(group));
        }
    }

    @Override
    public void close() {
        for (GroupWriter.Hold h : holds.values()) {
            if (h != null) {
                h.close();
            }
        }
        holds.clear();
    }
}
