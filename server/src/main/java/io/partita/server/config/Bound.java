package io.partita.server.config;

import io.partita.protocol.Limits;
import java.time.Duration;
import java.util.function.LongFunction;

/**
 * The allowed range of every numeric key, shared by the YAML loader (which quotes the text the user
 * wrote) and the record constructors (which guard configurations built in code).
 */
enum Bound {
    PORT(Unit.NUMBER, 0, 65_535, "0 = pick a free port"),
    RAFT_GROUPS(Unit.NUMBER, 1, Limits.PARTITION_COUNT, "or auto"),
    REPLICATION_FACTOR(Unit.NUMBER, 1, 7, ""),
    DEFAULT_TTL(Unit.SECONDS, 0, 3_650L * 86_400, "0 = never expire"),
    MAX_RECORD_SIZE(Unit.SIZE, Sizes.K, 128 * Sizes.M, ""),
    WRITE_BUFFER(Unit.SIZE, 8 * Sizes.M, 64 * Sizes.G, ""),
    BLOCK_CACHE(Unit.SIZE, 8 * Sizes.M, 64 * Sizes.G, ""),
    ELECTION_TIMEOUT(Unit.MILLIS, 100, 60_000, ""),
    SEGMENT_SIZE(Unit.SIZE, Sizes.M, Sizes.G, ""),
    BATCH_MAX_COMMANDS(Unit.NUMBER, 1, 65_536, ""),
    BATCH_MAX_BYTES(Unit.SIZE, 4 * Sizes.K, 64 * Sizes.M, ""),
    SNAPSHOT_EVERY_ENTRIES(Unit.NUMBER, 100, 1_000_000_000, ""),
    SNAPSHOT_TRANSFER_MB_PER_S(Unit.NUMBER, 1, 10_000, ""),
    SLOW_REQUEST_THRESHOLD(Unit.MILLIS, 0, 3_600_000, "0s = off"),
    EXPIRY_PERIOD(Unit.MILLIS, 0, 86_400_000, "0s = never remove"),
    EXPIRY_DELETES_PER_SECOND(Unit.NUMBER, 1, 1_000_000, ""),
    REBALANCE_MAX_CONCURRENT_MOVES(Unit.NUMBER, 1, 64, ""),
    REBALANCE_MOVE_TIMEOUT(Unit.MILLIS, 10_000, 7 * 86_400_000L, ""),
    STOP_HAND_OFF(Unit.MILLIS, 0, NodeConfig.MAX_HAND_OFF_MS, "0s = no hand-off"),
    SESSION_TTL(Unit.MILLIS, 60_000, 7 * 86_400_000L, ""),
    MAX_CONNECTIONS_PER_CLIENT(Unit.NUMBER, 1, 100_000, ""),
    MAX_CALLS_PER_CONNECTION(Unit.NUMBER, 1, 100_000, ""),
    MAX_CONCURRENT_STREAMS(Unit.NUMBER, 1, 1_024, "");

    enum Unit {
        NUMBER(Long::toString),
        SIZE(Sizes::format),
        SECONDS(Durations::formatTtl),
        MILLIS(ms -> Durations.format(Duration.ofMillis(ms)));

        private final LongFunction<String> formatter;

        Unit(LongFunction<String> formatter) {
            this.formatter = formatter;
        }

        String format(long value) {
            return value < 0 ? Long.toString(value) : formatter.apply(value);
        }
    }

    private final Unit unit;
    private final long min;
    private final long max;
    private final String note;

    Bound(Unit unit, long min, long max, String note) {
        this.unit = unit;
        this.min = min;
        this.max = max;
        this.note = note;
    }

    long min() {
        return min;
    }

    long max() {
        return max;
    }

    /** Human-readable constraint such as {@code must be 0..65535; 0 = pick a free port}. */
    String rule() {
        return "must be " + unit.format(min) + ".." + unit.format(max) + (note.isEmpty() ? "" : "; " + note);
    }

    /** Checks a value built in code; the message shows the value formatted in this bound's unit. */
    long check(String keyPath, long value) {
        return check(keyPath, value, null);
    }

    /** Checks a value, quoting {@code raw} (the text as written) in the message if not null. */
    long check(String keyPath, long value, String raw) {
        if (value < min || value > max) {
            String shown = raw != null ? raw : unit.format(value);
            throw new ConfigException(null, keyPath, "'" + shown + "' is out of range (" + rule() + ")");
        }
        return value;
    }

    /** Checks a duration built in code: whole milliseconds and within range. */
    Duration check(String keyPath, Duration value) {
        if (value.isNegative() || value.getNano() % 1_000_000 != 0) {
            throw new ConfigException(null, keyPath, "'" + value + "' must be a whole, non-negative number of milliseconds");
        }
        check(keyPath, saturatedMillis(value));
        return value;
    }

    /** {@link Duration#toMillis()}, but {@link Long#MAX_VALUE} instead of overflowing. */
    static long saturatedMillis(Duration value) {
        try {
            return value.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
