package io.partita.server.frontend;

import io.partita.raft.group.GroupWriter;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The dispatch of one Multiplex frame: every group writer a write of the frame went to is held until the whole frame
 * was dispatched, so the frame's writes to one group leave in one log entry instead of the first leaving alone.
 * Used by the one thread dispatching the frame; {@link #close()} releases every hold.
 */
final class FrameScope implements AutoCloseable {
    private final Map<GroupWriter, GroupWriter.Hold> holds = new IdentityHashMap<>();

    /** Holds {@code writer}'s sending until {@link #close()} (once per writer). */
    void hold(GroupWriter writer) {
        holds.computeIfAbsent(writer, GroupWriter::hold);
    }

    @Override
    public void close() {
        for (GroupWriter.Hold h : holds.values()) {
            h.close();
        }
        holds.clear();
    }
}
