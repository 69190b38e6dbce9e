package io.partita.tools.cli;

import java.util.Locale;

/** Byte counts for people. */
public final class Sizes {
    private Sizes() {
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 402.7 MiB}: binary units, one decimal. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
