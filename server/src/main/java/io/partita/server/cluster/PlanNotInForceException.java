package io.partita.server.cluster;

import java.io.IOException;

/**
 * A plan offered by another node (a push, a seed's report) that the metadata group does not hold: this node did
 * not adopt it and runs the plan that group holds. A plan really in force reaches every node by the next push or
 * seed poll, so this points at a node that offers plans it should not (stale, or made up).
 */
public final class PlanNotInForceException extends IOException {
    PlanNotInForceException(String message) {
        super(message);
    }
}
