package io.partita.server.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats byte sizes written as a whole number with an optional binary-unit suffix:
 * {@code 512} (bytes), {@code 64K}, {@code 1M}, {@code 8G}, {@code 1T}. Units are powers of 1024 and
 * case-insensitive; fractions ({@code 1.5M}) are not accepted.
 */
public final class Sizes {
    /** One kibibyte, 1024 bytes. */
    public static final long K = 1024L;
    /** One mebibyte. */
    public static final long M = K * 1024;
    /** One gibibyte. */
    public static final long G = M * 1024;
    /** One tebibyte. */
    public static final long T = G * 1024;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})([KMGTkmgt]?)");
    private static final long[] UNITS = {T, G, M, K};
    private static final String[] SUFFIXES = {"T", "G", "M", "K"};

    private Sizes() {
    }

    /**
     * Parses a size.
     *
     * @param text a size such as {@code 1M}; surrounding whitespace is ignored
     * @return the size in bytes, never negative
     * @throws IllegalArgumentException with a one-line message quoting {@code text} if it is not a size
     *                                  or does not fit in a {@code long}
     */
    public static long parse(String text) {
        String s = text == null ? "" : text.strip();
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (use e.g. 512K, 1M)");
        }
        try {
            long number = Long.parseLong(m.group(1));
            return Math.multiplyExact(number, unit(m.group(2)));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large for a size");
        }
    }

    /**
     * Formats a size with the largest binary unit that represents it exactly, so that
     * {@code parse(format(n)) == n}: {@code 1048576} becomes {@code 1M}, {@code 3072} becomes {@code 3K}
     * and {@code 1000} stays {@code 1000}.
     *
     * @param bytes a size in bytes, not negative
     * @return the formatted size, a bare number when no unit divides it
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public static String format(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
        if (bytes > 0) {
            for (int i = 0; i < UNITS.length; i++) {
                if (bytes % UNITS[i] == 0) {
                    return (bytes / UNITS[i]) + SUFFIXES[i];
                }
            }
        }
        return Long.toString(bytes);
    }

    private static long unit(String suffix) {
        switch (suffix.toUpperCase(Locale.ROOT)) {
            case "":
                return 1;
            case "K":
                return K;
            case "M":
                return M;
            case "G":
                return G;
            default:
                return T;
        }
    }
}
