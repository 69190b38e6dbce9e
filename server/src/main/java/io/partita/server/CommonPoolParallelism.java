package io.partita.server;

import java.util.Properties;

/**
 * Keeps CompletableFuture's default executor a thread pool on small machines. With fewer than 3 CPUs the JVM sizes
 * the common ForkJoinPool at parallelism 1, and CompletableFuture then runs every {@code *Async} stage without an
 * executor on a new thread of its own. Ratis does that for every AppendEntries a follower receives, so a node under
 * write load on 2 CPUs started and ended about a hundred threads a second (measured with JFR).
 */
final class CommonPoolParallelism {
    static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPoolParallelism() {
    }

    /**
     * Sets the common pool's parallelism to 2 when the JVM would choose less than 2 and the operator did not set it.
     * Must run before CompletableFuture or ForkJoinPool are first used.
     *
     * @return whether the property was set
     */
    static boolean ensure(Properties system, int cpus) {
        if (system.getProperty(PROPERTY) != null || cpus - 1 >= 2) {
            return false;
        }
        system.setProperty(PROPERTY, "2");
        return true;
    }
}
