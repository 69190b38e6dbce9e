package io.partita.server.snapshot;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket in bytes: {@link #acquire} blocks until the bytes fit the configured rate. One per node, shared by
 * every snapshot it sends, so the total stays under {@code raft.snapshot-transfer-mb-per-s}.
 */
public final class TransferThrottle {
    private final double bytesPerNano;
    private final double capacity;
    private double available;
    private long lastNanos = System.nanoTime();

    /** @param bytesPerSecond sustained rate; bursts are limited to a tenth of a second's worth */
    public TransferThrottle(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("transfer rate must be positive, got " + bytesPerSecond);
        }
        this.bytesPerNano = bytesPerSecond / 1e9;
        this.capacity = bytesPerSecond / 10.0;
        this.available = capacity;
    }

    /** Takes {@code bytes} from the bucket, sleeping first if it runs into debt. */
    public void acquire(long bytes) throws InterruptedException {
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            available = Math.min(capacity, available + (now - lastNanos) * bytesPerNano);
            lastNanos = now;
            available -= bytes;
            waitNanos = available >= 0 ? 0 : (long) (-available / bytesPerNano);
        }
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }
}
