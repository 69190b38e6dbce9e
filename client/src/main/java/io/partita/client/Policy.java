package io.partita.client;

/**
 * How a call is executed: its total time budget and how it retries. Immutable; build with {@link #builder()} or
 * derive with {@link #toBuilder()}.
 *
 * <p>{@code timeoutMs} bounds the whole call, retries and waits included; each request to a node gets the remaining
 * budget as its gRPC deadline. {@code maxRetries} bounds how many times a request is re-sent to a node after a
 * retryable failure; waiting for a group to elect a leader (nothing sent) is bounded by the time budget only.
 * {@code attemptTimeoutMs} bounds each request of a call that is safe to re-send (reads, compare-and-set writes):
 * a node that does not answer in time (paused, overloaded) is given up on and the request goes to the group's
 * leader per a refreshed map, instead of waiting out the whole budget there.
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
    /**
     * Default time a node gets to answer one request of a re-sendable call: {@value} ms, the nodes' default
     * election-timeout-max, by when the followers of a paused leader have started to elect a new one.
     */
    public static final long DEFAULT_ATTEMPT_TIMEOUT_MS = 2000;

    private static final Policy DEFAULTS = builder().build();

    private final long timeoutMs;
    private final int maxRetries;
    private final long sleepBetweenRetriesMs;
    private final ReadMode readMode;
    private final long attemptTimeoutMs;

    Policy(Builder b) {
        if (b.timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs must be > 0, got " + b.timeoutMs);
        }
        if (b.maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + b.maxRetries);
        }
        if (b.sleepBetweenRetriesMs < 0) {
            throw new IllegalArgumentException("sleepBetweenRetriesMs must be >= 0, got " + b.sleepBetweenRetriesMs);
        }
        if (b.readMode == null) {
            throw new IllegalArgumentException("readMode must not be null");
        }
        if (b.attemptTimeoutMs < 0) {
            throw new IllegalArgumentException("attemptTimeoutMs must be >= 0 (0 = the whole budget), got "
                + b.attemptTimeoutMs);
        }
        this.timeoutMs = b.timeoutMs;
        this.maxRetries = b.maxRetries;
        this.sleepBetweenRetriesMs = b.sleepBetweenRetriesMs;
        this.readMode = b.readMode;
        this.attemptTimeoutMs = b.attemptTimeoutMs;
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
        return copyInto(new Builder());
    }

    /** {@code b} with this policy's common settings; subclasses' toBuilder() start from it. */
    <B extends Builder> B copyInto(B b) {
        b.timeoutMs(timeoutMs).maxRetries(maxRetries).sleepBetweenRetriesMs(sleepBetweenRetriesMs).readMode(readMode)
            .attemptTimeoutMs(attemptTimeoutMs);
        return b;
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

    /**
     * Milliseconds a node gets to answer one request of a call that is safe to re-send (a read, a compare-and-set
     * write) before the request is sent again per a refreshed map; 0 = the whole remaining budget. Other writes
     * always wait for their answer: giving up on one would only leave it in doubt sooner.
     */
    public long attemptTimeoutMs() {
        return attemptTimeoutMs;
    }

    @Override
    public String toString() {
        return "Policy{" + fields() + "}";
    }

    /** The common settings, for toString(). */
    String fields() {
        return "timeoutMs=" + timeoutMs + ", maxRetries=" + maxRetries + ", sleepBetweenRetriesMs="
            + sleepBetweenRetriesMs + ", readMode=" + readMode + ", attemptTimeoutMs=" + attemptTimeoutMs;
    }

    /** Builds a {@link Policy}; {@link WritePolicy.Builder} extends it. */
    public static class Builder {
        long timeoutMs = DEFAULT_TIMEOUT_MS;
        int maxRetries = DEFAULT_MAX_RETRIES;
        long sleepBetweenRetriesMs = DEFAULT_SLEEP_BETWEEN_RETRIES_MS;
        ReadMode readMode = ReadMode.LINEARIZABLE;
        long attemptTimeoutMs = DEFAULT_ATTEMPT_TIMEOUT_MS;

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
         * Milliseconds a node gets to answer one request of a re-sendable call (reads, compare-and-set writes)
         * before it is sent again; default {@value Policy#DEFAULT_ATTEMPT_TIMEOUT_MS}; 0 = the whole budget.
         */
        public Builder attemptTimeoutMs(long attemptTimeoutMs) {
            this.attemptTimeoutMs = attemptTimeoutMs;
            return this;
        }

        /**
         * The policy.
         *
         * @throws IllegalArgumentException if a setting is out of range
         */
        public Policy build() {
            return new Policy(this);
        }
    }
}
