package io.partita.client;

/**
 * A {@link Policy} for writes (put, delete, touch), adding what the write does to an existing record, an optional
 * generation check and the record's time to live. Immutable; build with {@link #builder()} or derive with
 * {@link #toBuilder()}.
 *
 * <p>Writes are re-sent when nothing was applied (NOT_LEADER, or no connection could be made). After an ambiguous
 * outcome (the node answered IN_DOUBT, or contact was lost after sending) a write without an expected generation is
 * never re-sent and fails with {@link PartitaException#inDoubt()} true. A compare-and-set write (a non-zero
 * {@link #expectedGeneration()}) cannot apply twice, so it is re-sent: the retry either applies (success) or fails
 * with GENERATION_ERROR (or KEY_NOT_FOUND once the record is gone), then reported with inDoubt() true because the
 * first attempt may have been the one that applied. See {@link PartitaClient}.
 */
public final class WritePolicy extends Policy {

    /** TTL meaning the record never expires. */
    public static final long TTL_NEVER_EXPIRE = -1;
    /** TTL meaning the record keeps its current expiry (a new record gets the namespace default). */
    public static final long TTL_DONT_UPDATE = -2;
    /** TTL meaning the namespace's default TTL. */
    public static final long TTL_NAMESPACE_DEFAULT = 0;

    private static final WritePolicy DEFAULTS = builder().build();

    private final RecordExistsAction existsAction;
    private final int expectedGeneration;
    private final long ttlSeconds;

    private WritePolicy(Builder b) {
        super(b);
        if (b.existsAction == null) {
            throw new IllegalArgumentException("existsAction must not be null");
        }
        if (b.expectedGeneration < 0) {
            throw new IllegalArgumentException("expectedGeneration must be >= 0 (0 = no check), got "
                + b.expectedGeneration);
        }
        if (b.ttlSeconds < TTL_DONT_UPDATE) {
            throw new IllegalArgumentException("ttlSeconds must be > 0, or 0 (namespace default), -1 (never expire) "
                + "or -2 (don't update); got " + b.ttlSeconds);
        }
        this.existsAction = b.existsAction;
        this.expectedGeneration = b.expectedGeneration;
        this.ttlSeconds = b.ttlSeconds;
    }

    /** The default write policy: CREATE_OR_UPDATE, no generation check, namespace-default TTL. */
    public static WritePolicy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy's settings. */
    @Override
    public Builder toBuilder() {
        return copyInto(new Builder()).existsAction(existsAction).expectedGeneration(expectedGeneration)
            .ttlSeconds(ttlSeconds);
    }

    /** What a put does when the record exists or not. */
    public RecordExistsAction existsAction() {
        return existsAction;
    }

    /**
     * When non-zero, the write applies only if the record's generation equals this (else GENERATION_ERROR, or
     * KEY_NOT_FOUND if there is no record). Such a compare-and-set write is also safe to re-send after an ambiguous
     * outcome, which the client does (see the class comment).
     */
    public int expectedGeneration() {
        return expectedGeneration;
    }

    /**
     * Time to live set by the write: seconds from now if positive, or {@link #TTL_NAMESPACE_DEFAULT},
     * {@link #TTL_NEVER_EXPIRE}, {@link #TTL_DONT_UPDATE}.
     */
    public long ttlSeconds() {
        return ttlSeconds;
    }

    @Override
    public String toString() {
        return "WritePolicy{" + fields() + ", existsAction=" + existsAction
            + ", expectedGeneration=" + expectedGeneration + ", ttlSeconds=" + ttlSeconds + "}";
    }

    /** Builds a {@link WritePolicy}. */
    public static final class Builder extends Policy.Builder {
        private RecordExistsAction existsAction = RecordExistsAction.CREATE_OR_UPDATE;
        private int expectedGeneration;
        private long ttlSeconds = TTL_NAMESPACE_DEFAULT;

        private Builder() {
        }

        /** Total budget of a call in milliseconds, retries included; must be positive. */
        @Override
        public Builder timeoutMs(long timeoutMs) {
            super.timeoutMs(timeoutMs);
            return this;
        }

        /**
         * How many times the write may be re-sent after NOT_LEADER, an unreachable node, or (compare-and-set writes
         * only) an ambiguous outcome; 0 = never.
         */
        @Override
        public Builder maxRetries(int maxRetries) {
            super.maxRetries(maxRetries);
            return this;
        }

        /** Pause before each retry in milliseconds; 0 = retry at once. */
        @Override
        public Builder sleepBetweenRetriesMs(long sleepBetweenRetriesMs) {
            super.sleepBetweenRetriesMs(sleepBetweenRetriesMs);
            return this;
        }

        /** Ignored by writes; applies if this policy is given to a read. */
        @Override
        public Builder readMode(ReadMode readMode) {
            super.readMode(readMode);
            return this;
        }

        /**
         * Milliseconds a node gets to answer one attempt of a compare-and-set write before it is re-sent; other
         * writes wait for their answer within the whole budget. 0 = the whole budget.
         */
        @Override
        public Builder attemptTimeoutMs(long attemptTimeoutMs) {
            super.attemptTimeoutMs(attemptTimeoutMs);
            return this;
        }

        /** What a put does when the record exists or not; default CREATE_OR_UPDATE. */
        public Builder existsAction(RecordExistsAction existsAction) {
            this.existsAction = existsAction;
            return this;
        }

        /**
         * Generation the record must have for the write to apply; 0 (default) = no check. Non-zero makes the write
         * a compare-and-set, which the client re-sends after an ambiguous outcome.
         */
        public Builder expectedGeneration(int expectedGeneration) {
            this.expectedGeneration = expectedGeneration;
            return this;
        }

        /** Time to live in seconds, or one of the {@code TTL_*} constants; default namespace default. */
        public Builder ttlSeconds(long ttlSeconds) {
            this.ttlSeconds = ttlSeconds;
            return this;
        }

        /**
         * The policy.
         *
         * @throws IllegalArgumentException if a setting is out of range
         */
        @Override
        public WritePolicy build() {
            return new WritePolicy(this);
        }
    }
}
