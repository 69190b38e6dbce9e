package io.partita.engine.time;

/**
 * Wall-clock time in milliseconds since the Unix epoch. Injected wherever record times are decided (write stamps
 * at the leader, expiry checks at reads) so tests can move time without sleeping.
 */
@FunctionalInterface
public interface Clock {
    /** The system clock. */
    Clock SYSTEM = System::currentTimeMillis;

    long nowMs();
}
