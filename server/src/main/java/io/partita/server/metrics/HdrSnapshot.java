package io.partita.server.metrics;

import com.codahale.metrics.Snapshot;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** A Dropwizard {@link Snapshot} read from an HdrHistogram copy (owned by the snapshot). */
final class HdrSnapshot extends Snapshot {
    private final Histogram histogram;

    HdrSnapshot(Histogram histogram) {
        this.histogram = histogram;
    }

    @Override
    public double getValue(double quantile) {
        if (quantile < 0 || quantile > 1 || Double.isNaN(quantile)) {
            throw new IllegalArgumentException(quantile + " is not in [0..1]");
        }
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(quantile * 100);
    }

    /** Every recorded value (at its bucket's representative value): large, for reporters that want them all. */
    @Override
    public long[] getValues() {
        long[] values = new long[size()];
        int i = 0;
        for (HistogramIterationValue v : histogram.recordedValues()) {
            long value = histogram.highestEquivalentValue(v.getValueIteratedTo());
            for (long n = 0; n < v.getCountAtValueIteratedTo() && i < values.length; n++) {
                values[i++] = value;
            }
        }
        return values;
    }

    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, histogram.getTotalCount());
    }

    @Override
    public long getMax() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue();
    }

    @Override
    public double getMean() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMean();
    }

    @Override
    public long getMin() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMinValue();
    }

    @Override
    public double getStdDev() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getStdDeviation();
    }

    @Override
    public void dump(OutputStream output) {
        try (PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(output, StandardCharsets.UTF_8))) {
            for (long value : getValues()) {
                out.println(value);
            }
        }
    }
}
