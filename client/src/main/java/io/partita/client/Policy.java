package io.partita.client;

/**
 * How a call is executed: its total time budget and how it retries. Immutable; build with {@link #builder()} or
 * derive with {@link #toBuilder()}.
 *
 * <p>{@code timeoutMs} bounds the whole call, retries and waits included; each request to a node gets the remaining
 * budget as its gRPC deadline. {@code maxRetries} bounds how many times a request is re-sent to a node after a
 * retryable failure; waiting for a group to elect a leader (nothing sent) is bounded by the time budget only.
 * {@code readMode} chooses whether reads need the leader ({@link ReadMode#LINEARIZABLE}, the default) or may be
 * answered, possibly stale, by any replica ({@link ReadMode#ANY_REPLICA}).
 */
public class Policy {

    /**
     * Default total budget of a call: {@value} ms. A failover with the nodes' default election timeout takes up to
     * 2 s to notice, an election, and the new leader's first commit (measured at 0.2 s on a quiet machine and up to
     * 4.8 s on a loaded one), and later leadership goes back to the preferred replica the same way; a 3 s default
     * failed calls during such a hand-back under CI load. Set a shorter budget when failing fast matters more.
     */
    public static final long DEFAULT_TIMEOUT_MS = 10_000;
    /**
     * Default number of re-sends: {@value}. With the default pauses the retries last longer than the default budget,
     * so by default the time budget, not the count, ends a call that keeps meeting an election.
     */
    public static final int DEFAULT_MAX_RETRIES = 30;
    /**
     * Default pause before the first retry: {@value} ms. Each further retry of the same call waits twice as long as
     * the one before, up to {@code 50 x} this pause, so a call waiting out an election does not hammer the nodes,
     * and the default retries span a failover (a new leader, then leadership handed back to the preferred replica)
     * instead of running out before the time budget does.
     */
    public static final long DEFAULT_SLEEP_BETWEEN_RETRIES_MS = 10;

    private static final Policy DEFAULTS = builder().build();

    private final long timeoutMs;
    private final int maxRetries;
    private final long sleepBetweenRetriesMs;
    private final ReadMode readMode;

    Policy(long timeoutMs, int maxRetries, long sleepBetweenRetriesMs, ReadMode readMode) {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs must be > 0, got " + timeoutMs);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        }
        if (sleepBetweenRetriesMs < 0) {
            throw new IllegalArgumentException("sleepBetweenRetriesMs must be >= 0, got " + sleepBetweenRetriesMs);
        }
        if (readMode == null) {
            throw new IllegalArgumentException("readMode must not be null");
        }
        this.timeoutMs = timeoutMs;
        this.maxRetries = maxRetries;
        this.sleepBetweenRetriesMs = sleepBetweenRetriesMs;
        this.readMode = readMode;
    }

    /**
     * The default read policy: {@value #DEFAULT_TIMEOUT_MS} ms budget, {@value #DEFAULT_MAX_RETRIES} retries starting
     * {@value #DEFAULT_SLEEP_BETWEEN_RETRIES_MS} ms apart, linearizable reads.
     */
    public static Policy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy's settings. */
    public Builder toBuilder() {
        return new Builder().timeoutMs(timeoutMs).maxRetries(maxRetries).sleepBetweenRetriesMs(sleepBetweenRetriesMs)
            .readMode(readMode);
    }

    /** Total time budget of a call in milliseconds, retries included. */
    public long timeoutMs() {
        return timeoutMs;
    }

    /** How many times a request may be re-sent after a retryable failure. */
    public int maxRetries() {
        return maxRetries;
    }

    /** Pause before each retry, in milliseconds. */
    public long sleepBetweenRetriesMs() {
        return sleepBetweenRetriesMs;
    }

    /**
     * Which node may answer get and getHeader: {@link ReadMode#LINEARIZABLE} (default, the leader) or
     * {@link ReadMode#ANY_REPLICA} (any replica, possibly stale). Writes and {@code exists} ignore it.
     */
    public ReadMode readMode() {
        return readMode;
    }

    @Override
    public String toString() {
        return "Policy{timeoutMs=" + timeoutMs + ", maxRetries=" + maxRetries + ", sleepBetweenRetriesMs="
            + sleepBetweenRetriesMs + ", readMode=" + readMode + "}";
    }

    /** Builds a {@link Policy}; {@link WritePolicy.Builder} extends it. */
    public static class Builder {
        long timeoutMs = DEFAULT_TIMEOUT_MS;
        int maxRetries = DEFAULT_MAX_RETRIES;
        long sleepBetweenRetriesMs = DEFAULT_SLEEP_BETWEEN_RETRIES_MS;
        ReadMode readMode = ReadMode.LINEARIZABLE;

        Builder() {
        }

        /** Total budget of a call in milliseconds, retries included; must be positive. */
        public Builder timeoutMs(long timeoutMs) {
            this.timeoutMs = timeoutMs;
            return this;
        }

        /** How many times a request may be re-sent; 0 = never. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** Pause before each retry in milliseconds; 0 = retry at once. */
        public Builder sleepBetweenRetriesMs(long sleepBetweenRetriesMs) {
            this.sleepBetweenRetriesMs = sleepBetweenRetriesMs;
            return this;
        }

        /**
         * Which node may answer get and getHeader; default {@link ReadMode#LINEARIZABLE}.
         * {@link ReadMode#ANY_REPLICA} reads may be stale: they never see a write that was not applied, but may
         * miss acknowledged ones.
         */
        public Builder readMode(ReadMode readMode) {
            this.readMode = readMode;
            return this;
        }

        /**
         * The policy.
         *
         * @throws IllegalArgumentException if a setting is out of range
         */
        public Policy build() {
            return new Policy(timeoutMs, maxRetries, sleepBetweenRetriesMs, readMode);
        }
    }
}
