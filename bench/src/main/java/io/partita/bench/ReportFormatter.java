package io.partita.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Text of the final report and of the progress lines. Pure functions of their arguments.
 */
public final class ReportFormatter {

    /** Percentiles of the report table, in order, with their column titles. */
    static final double[] PERCENTILES = {50.0, 90.0, 99.0, 99.9};
    private static final String[] PERCENTILE_TITLES = {"p50", "p90", "p99", "p999"};
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ReportFormatter() {
    }

    /** The final report: parameters, load summary, one table row per operation, errors by code, command line. */
    public static String format(Report report) {
        StringBuilder sb = new StringBuilder();
        sb.append("parameters:\n");
        for (Map.Entry<String, Object> e : report.parameters().entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %-14s %s%n", e.getKey(), value(e.getValue())));
        }
        LoadSummary load = report.load();
        if (load != null) {
            sb.append(String.format(Locale.ROOT, "load: %d of %d keys written in %.2f s (%.1f puts/s), errors: %s%n",
                load.written(), load.keys(), load.seconds(), rate(load.written(), load.seconds()),
                errorList(load.errors())));
            costLine(sb, "  cost per put", load.cost(), load.written());
        }
        sb.append(String.format(Locale.ROOT, "run: %.2f s recorded; %s%n%n", report.seconds(),
            report.targetRate() > 0
                ? String.format(Locale.ROOT, "target rate %s ops/s, latency in ms from each operation's intended "
                    + "start (coordinated omission corrected)", number(report.targetRate()))
                : "closed loop, latency in ms (coordinated omission not corrected)"));
        sb.append(String.format(Locale.ROOT, "%-6s %10s %11s", "op", "count", "ops/s"));
        for (String t : PERCENTILE_TITLES) {
            sb.append(String.format(Locale.ROOT, " %9s", t));
        }
        sb.append(String.format(Locale.ROOT, " %9s %8s %8s%n", "max", "misses", "errors"));
        for (OpSummary op : report.operations()) {
            Histogram h = op.latencyUs();
            sb.append(String.format(Locale.ROOT, "%-6s %10d %11.1f", op.name(), op.count(),
                op.opsPerSecond(report.seconds())));
            for (double p : PERCENTILES) {
                sb.append(String.format(Locale.ROOT, " %9s", millis(h, h.getValueAtPercentile(p))));
            }
            sb.append(String.format(Locale.ROOT, " %9s %8d %8d%n", millis(h, h.getMaxValue()), op.misses(),
                op.errorCount()));
        }
        costLine(sb, "cost per op", report.cost(), report.operation("total").count());
        sb.append('\n');
        boolean anyError = false;
        for (OpSummary op : report.operations()) {
            if (!op.name().equals("total") && !op.errors().isEmpty()) {
                if (!anyError) {
                    sb.append("errors by code:\n");
                    anyError = true;
                }
                for (Map.Entry<String, Long> e : op.errors().entrySet()) {
                    sb.append(String.format(Locale.ROOT, "  %-6s %-24s %d%n", op.name(), e.getKey(), e.getValue()));
                }
            }
        }
        if (!anyError) {
            sb.append("errors by code: none\n");
        }
        sb.append("command: ").append(report.command()).append('\n');
        return sb.toString();
    }

    /** "what: server N us CPU, M context switches; load generator ..." for the parts that were measured. */
    private static void costLine(StringBuilder sb, String what, ProcessCost.Cost cost, long ops) {
        if (cost == null || (cost.server() == null && cost.loadGenerator() == null)) {
            return;
        }
        sb.append(what).append(':');
        String sep = " ";
        for (var part : new Object[][] {{"server", cost.server()}, {"load generator", cost.loadGenerator()}}) {
            ProcessCost.Usage u = (ProcessCost.Usage) part[1];
            if (u != null) {
                sb.append(String.format(Locale.ROOT, "%s%s %.0f us CPU, %.1f context switches", sep, part[0],
                    u.cpuMicrosPer(ops), u.contextSwitchesPer(ops)));
                sep = "; ";
            }
        }
        sb.append('\n');
    }

    /** A progress line of the timed run: phase, elapsed of phase length, interval rate, misses and errors. */
    public static String progressLine(String phase, double elapsedSeconds, Duration phaseLength, double opsPerSecond,
                                      long misses, long errors) {
        return String.format(Locale.ROOT, "%-6s %7.1fs/%-6s %11.1f ops/s  misses %d  errors %d", phase,
            elapsedSeconds, DurationConverter.format(phaseLength), opsPerSecond, misses, errors);
    }

    /** A progress line of the load phase. */
    public static String loadProgressLine(long done, long keys, double putsPerSecond, long errors) {
        return String.format(Locale.ROOT, "load   %d/%d keys (%.1f%%) %11.1f puts/s  errors %d", done, keys,
            keys == 0 ? 100.0 : 100.0 * done / keys, putsPerSecond, errors);
    }

    /** The command line as a shell would take it back: {@code prog} then the arguments, quoted where needed. */
    public static String commandLine(String prog, String... args) {
        StringBuilder sb = new StringBuilder(prog);
        for (String a : args) {
            sb.append(' ').append(SHELL_SAFE.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /** Microseconds as milliseconds with two decimals; {@code -} for an empty histogram. */
    static String millis(Histogram h, long micros) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    /** {@code 1000} rather than {@code 1000.0}; fractions as given. */
    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static double rate(long count, double seconds) {
        return seconds > 0 ? count / seconds : 0;
    }

    private static String errorList(Map<String, Long> errors) {
        if (errors.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : errors.entrySet()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        }
        return sb.toString();
    }

    private static String value(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Duration) {
            return DurationConverter.format((Duration) v);
        }
        return String.valueOf(v);
    }
}
