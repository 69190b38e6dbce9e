package io.partita.server.metrics;

import com.codahale.metrics.Counter;
import java.util.function.LongSupplier;

/**
 * A counter whose count lives elsewhere (a RocksDB ticker, a state machine's tally): exported as a counter, so
 * Prometheus applies counter semantics (rate, reset detection). Never incremented here.
 */
final class SuppliedCounter extends Counter {
    private final LongSupplier count;

    SuppliedCounter(LongSupplier count) {
        this.count = count;
    }

    @Override
    public long getCount() {
        return count.getAsLong();
    }
}
