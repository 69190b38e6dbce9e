package io.partita.client.internal;

import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A fixed number of channels (each its own connection) to one address, handed out in turn. Each channel
 * multiplexes any number of concurrent calls; more channels spread them over more sockets and event-loop threads.
 */
final class ChannelPool {

    private final ManagedChannel[] channels;
    private final AtomicInteger turn = new AtomicInteger();

    /**
     * A pool; channels connect lazily, on their first call.
     *
     * @param size    how many channels
     * @param factory builds one channel
     */
    ChannelPool(int size, Supplier<ManagedChannel> factory) {
        channels = new ManagedChannel[size];
        for (int i = 0; i < size; i++) {
            channels[i] = factory.get();
        }
    }

    /** The next channel in turn. */
    ManagedChannel next() {
        return channels[Math.floorMod(turn.getAndIncrement(), channels.length)];
    }

    /** Shuts every channel down; in-flight calls fail. */
    void shutdownNow() {
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
        }
    }

    /**
     * Waits for every channel to terminate, until {@code deadlineNanos} ({@link System#nanoTime()} based).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void awaitTermination(long deadlineNanos) throws InterruptedException {
        for (ManagedChannel ch : channels) {
            ch.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }
}
