package io.partita.server.limits;

import io.partita.server.config.NodeConfig;

/**
 * Range checks for numbers taken from requests. Protobuf's {@code uint32} arrives in a Java {@code int}, so a value of
 * 2^31 or more reads as negative: an index check must reject negatives as well as values beyond the count, and a
 * message should show the value the sender meant.
 */
public final class WireNumbers {
    private WireNumbers() {
    }

    /**
     * Whether a {@code uint32} index from the wire is in {@code 0..count-1}.
     *
     * @param wire  the field's value
     * @param count how many there are
     * @return whether it names one of them
     */
    public static boolean isIndex(int wire, int count) {
        return wire >= 0 && wire < count;
    }

    /**
     * A {@code uint32} from the wire as its sender wrote it.
     *
     * @param wire the field's value
     * @return the unsigned decimal
     */
    public static String unsigned(int wire) {
        return Integer.toUnsignedString(wire);
    }

    /**
     * Why a hand-off budget from the wire is refused, or null.
     *
     * @param wireBudgetMs the request's {@code budget_ms} (0 = the default)
     * @return the refusal, or null when in range
     */
    public static String handOffBudgetProblem(int wireBudgetMs) {
        return Integer.toUnsignedLong(wireBudgetMs) <= NodeConfig.MAX_HAND_OFF_MS ? null : "budget_ms "
                + unsigned(wireBudgetMs) + " is out of range (0 for the default, at most " + NodeConfig.MAX_HAND_OFF_MS
                + ")";
    }
}
