package io.partita.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * An HdrHistogram interval log of the recorded run: one histogram per operation per progress interval, tagged
 * with the operation's label ({@code read}, {@code update}, {@code insert}, {@code scan}, {@code rmw}), values in
 * microseconds (the Interval_Max column is in milliseconds). Read it with
 * {@code HistogramLogProcessor} or {@link org.HdrHistogram.HistogramLogReader}.
 */
public final class HistogramLog implements AutoCloseable {

    private final Path file;
    private final PrintStream out;
    private final HistogramLogWriter writer;

    private HistogramLog(Path file, PrintStream out) {
        this.file = file;
        this.out = out;
        this.writer = new HistogramLogWriter(out);
    }

    /** Creates (or replaces) the log file. */
    public static HistogramLog open(Path file) throws IOException {
        return new HistogramLog(file, new PrintStream(new BufferedOutputStream(Files.newOutputStream(file)), false,
            "UTF-8"));
    }

    /**
     * Writes the header; interval times are then seconds since {@code startEpochMs}.
     *
     * @param ops the operations whose histograms the intervals will hold (named in a comment)
     */
    public void start(long startEpochMs, String comment, List<OpType> ops) {
        writer.outputLogFormatVersion();
        writer.outputComment(comment);
        writer.outputComment("values in microseconds; tags: "
            + ops.stream().map(OpType::label).collect(Collectors.joining(", ")));
        writer.outputStartTime(startEpochMs);
        writer.setBaseTime(startEpochMs);
        writer.outputBaseTime(startEpochMs);
        writer.outputLegend();
    }

    /** Writes one interval, {@code [startSec, endSec)} after the start time, one tagged histogram per operation. */
    public void interval(double startSec, double endSec, Map<OpType, Histogram> histograms) {
        for (Map.Entry<OpType, Histogram> e : histograms.entrySet()) {
            Histogram h = e.getValue().copy();
            h.setTag(e.getKey().label());
            writer.outputIntervalHistogram(startSec, endSec, h, 1000.0);
        }
    }

    /**
     * Flushes and closes the file.
     *
     * @throws IOException if any write failed
     */
    @Override
    public void close() throws IOException {
        out.close();
        if (out.checkError()) {
            throw new IOException("writing the histogram log " + file + " failed");
        }
    }
}
