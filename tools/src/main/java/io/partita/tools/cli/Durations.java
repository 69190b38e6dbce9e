package io.partita.tools.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations on the command line: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number means seconds
 * (as in {@code partita bench}). Zero and negative durations are refused.
 */
public final class Durations implements ITypeConverter<Duration> {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * The duration {@code value} denotes.
     *
     * @throws TypeConversionException if it is not a positive whole number with an optional unit
     */
    public static Duration parse(String value) {
        Matcher m = FORMAT.matcher(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration (use e.g. 500ms, 30s, 2m)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) {
            throw new TypeConversionException("'" + value + "' must be more than zero (use e.g. 500ms, 30s, 2m)");
        }
        return d;
    }

    /** A short form that {@link #parse} reads back: {@code 30s}, or {@code 1500ms} when not whole seconds. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    /** An uptime for people: {@code 42s}, {@code 4m 12s}, {@code 3h 7m}, {@code 2d 5h}. */
    public static String uptime(long ms) {
        long s = Math.max(0, ms) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86_400) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86_400) + "d " + (s % 86_400 / 3600) + "h";
    }
}
