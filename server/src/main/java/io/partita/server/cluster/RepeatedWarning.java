package io.partita.server.cluster;

import org.slf4j.Logger;

/**
 * A problem a polling task meets again at every round (a seed that refuses, a plan that does not fit): logged at WARN
 * when it first appears or its text changes, not at every poll. Confined to the task's thread.
 */
final class RepeatedWarning {
    private final Logger log;
    private String last;

    RepeatedWarning(Logger log) {
        this.log = log;
    }

    void warn(String problem) {
        if (!problem.equals(last)) {
            log.warn(problem);
            last = problem;
        }
    }

    /** The problem is gone: the next one is logged whatever its text. */
    void clear() {
        last = null;
    }
}
