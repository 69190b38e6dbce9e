package io.partita.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a {@link Fault} acts on, and where it records what it did (for the failure message) and what went wrong. */
final class FaultContext {
    private static final Logger LOG = LoggerFactory.getLogger(FaultContext.class);

    private final ProcessCluster cluster;
    private final Duration readyTimeout;
    private final long startNanos = System.nanoTime();
    private final List<String> events = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /**
     * @param readyTimeout how long a restarted node may take to be ready again (a wiped node catches up first)
     */
    FaultContext(ProcessCluster cluster, Duration readyTimeout) {
        this.cluster = cluster;
        this.readyTimeout = readyTimeout;
    }

    ProcessCluster cluster() {
        return cluster;
    }

    /** Starts node {@code i} again (with extra JVM options) and waits until it is ready. */
    void restart(int i, List<String> jvmOptions) throws Exception {
        event("start n" + (i + 1) + (jvmOptions.isEmpty() ? "" : " with " + jvmOptions));
        cluster.launch(i, jvmOptions).awaitReady(readyTimeout);
        event("n" + (i + 1) + " is ready");
    }

    /** Records what happened, stamped with the seconds since the run began. */
    synchronized void event(String what) {
        String line = String.format("%7.1fs %s", (System.nanoTime() - startNanos) / 1e9, what);
        LOG.info("fault: {}", line);
        events.add(line);
    }

    /** Records something that must fail the run once the faults are healed. */
    synchronized void problem(String what) {
        event("PROBLEM: " + what);
        problems.add(what);
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }
}
