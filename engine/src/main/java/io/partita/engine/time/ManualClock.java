package io.partita.engine.time;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when told to; for tests of TTL expiry. */
public final class ManualClock implements Clock {
    private final AtomicLong now;

    public ManualClock(long startMs) {
        this.now = new AtomicLong(startMs);
    }

    @Override
    public long nowMs() {
        return now.get();
    }

    public void advanceMs(long deltaMs) {
        now.addAndGet(deltaMs);
    }

    public void setMs(long ms) {
        now.set(ms);
    }
}
