package io.partita.server.cluster;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A background task of the node run in rounds on the node's scheduler (seed polling, address updates, leadership
 * restores): a round that throws is logged and the task goes on, and it stops once a round says it is done or the
 * scheduler shuts down (the node stops).
 *
 * <pre>{@code
 * Rounds.repeat(scheduler, () -> 1_000, this::updateOnce, LOG, "Recording this node's new address");
 * }</pre>
 */
final class Rounds {
    private Rounds() {
    }

    /**
     * Runs {@code round} after {@code pace} milliseconds, and again after each round that returns true.
     *
     * @param pace  milliseconds until the next round, asked before each
     * @param round one round; false when there is nothing more to do
     * @param what  what a round does, for the warning when one throws
     */
    static void repeat(ScheduledExecutorService scheduler, LongSupplier pace, BooleanSupplier round, Logger log,
                       String what) {
        scheduler.schedule(() -> {
            boolean again = true;
            try {
                again = round.getAsBoolean();
            } catch (RuntimeException e) {
                log.warn("{} failed", what, e);
            } finally {
                if (again && !scheduler.isShutdown()) {
                    repeat(scheduler, pace, round, log, what);
                }
            }
        }, pace.getAsLong(), TimeUnit.MILLISECONDS);
    }
}
