package io.partita.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats durations written as a whole number and a unit: {@code 500ms}, {@code 2s},
 * {@code 90m}, {@code 12h}, {@code 30d}. Units are lower case; a unit is required because a bare
 * number is ambiguous. Time-to-live values ({@link #parseTtl}) additionally accept a bare number of seconds.
 */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,19}");
    private static final String EXAMPLES = "use e.g. 500ms, 2s, 90m, 12h, 30d";

    private static final long[] TTL_UNITS = {86_400, 3_600, 60, 1};
    private static final String[] TTL_SUFFIXES = {"d", "h", "m", "s"};
    private static final long[] MILLIS_UNITS = {86_400_000, 3_600_000, 60_000, 1_000, 1};
    private static final String[] MILLIS_SUFFIXES = {"d", "h", "m", "s", "ms"};

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @param text a duration such as {@code 2s}; surrounding whitespace is ignored
     * @return the duration, never negative
     * @throws IllegalArgumentException with a one-line message quoting {@code text} if it is not a duration
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.strip();
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            String why = DIGITS.matcher(s).matches() ? "has no unit" : "is not a duration";
            throw new IllegalArgumentException("'" + text + "' " + why + " (" + EXAMPLES + ")");
        }
        long n = Long.parseLong(m.group(1));
        try {
            switch (m.group(2)) {
                case "ms":
                    return Duration.ofMillis(n);
                case "s":
                    return Duration.ofSeconds(n);
                case "m":
                    return Duration.ofSeconds(Math.multiplyExact(n, 60L));
                case "h":
                    return Duration.ofSeconds(Math.multiplyExact(n, 3_600L));
                default:
                    return Duration.ofSeconds(Math.multiplyExact(n, 86_400L));
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large for a duration");
        }
    }

    /**
     * Formats a duration with the largest unit that represents it exactly, so that
     * {@code parse(format(d)).equals(d)}: 2000 ms becomes {@code 2s}, 90 minutes {@code 90m}, zero {@code 0s}.
     *
     * @param duration a non-negative duration that is a whole number of milliseconds
     * @return the formatted duration
     * @throws IllegalArgumentException if the duration is negative or has a sub-millisecond part
     */
    public static String format(Duration duration) {
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("cannot format " + duration + " as whole milliseconds");
        }
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        for (int i = 0; i < MILLIS_UNITS.length; i++) {
            if (millis % MILLIS_UNITS[i] == 0) {
                return (millis / MILLIS_UNITS[i]) + MILLIS_SUFFIXES[i];
            }
        }
        throw new AssertionError("unreachable: 1 ms divides every whole number of milliseconds");
    }

    /**
     * Parses a time-to-live: a bare number of seconds ({@code 3600}) or a duration ({@code 30d},
     * {@code 12h}, {@code 90m}, {@code 45s}) that is a whole number of seconds. Zero means "never expire".
     *
     * @param text the TTL text; surrounding whitespace is ignored
     * @return the TTL in seconds, never negative
     * @throws IllegalArgumentException with a one-line message quoting {@code text} if it is not a TTL
     */
    public static long parseTtl(String text) {
        String s = text == null ? "" : text.strip();
        if (DIGITS.matcher(s).matches()) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is too large for a TTL");
            }
        }
        if (!DURATION.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a TTL (use seconds, or e.g. 30d, 12h, 90m, 45s; 0 = never expire)");
        }
        Duration d = parse(s);
        if (d.getNano() != 0) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of seconds (TTLs have 1s resolution)");
        }
        return d.getSeconds();
    }

    /**
     * Formats a TTL with the largest unit that represents it exactly ({@code 2592000} becomes {@code 30d});
     * zero becomes {@code 0}. {@code parseTtl(formatTtl(s)) == s}.
     *
     * @param seconds a non-negative TTL in seconds
     * @return the formatted TTL
     * @throws IllegalArgumentException if {@code seconds} is negative
     */
    public static String formatTtl(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("a TTL cannot be negative: " + seconds);
        }
        if (seconds == 0) {
            return "0";
        }
        for (int i = 0; i < TTL_UNITS.length; i++) {
            if (seconds % TTL_UNITS[i] == 0) {
                return (seconds / TTL_UNITS[i]) + TTL_SUFFIXES[i];
            }
        }
        throw new AssertionError("unreachable: 1 s divides every whole number of seconds");
    }
}
