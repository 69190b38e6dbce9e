package io.partita.raft.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;

/**
 * One Ratis metric registry (one per Raft division and component), backed by a Dropwizard {@link MetricRegistry}
 * whose names are {@code <application>.<component>.<prefix>.<metric>}, as Ratis's own implementations name them.
 *
 * <p>Timers keep their last {@link #WINDOW} samples in a ring ({@link SlidingWindowReservoir}: an array store under an
 * uncontended lock), so quantiles describe recent entries and recording one costs tens of nanoseconds.
 */
public final class RatisRegistry implements RatisMetricRegistry {
    /** Samples a timer keeps for its quantiles (Dropwizard's default reservoir size). */
    public static final int WINDOW = 1028;

    private final MetricRegistryInfo info;
    private final String namePrefix;
    private final MetricRegistry metrics = new MetricRegistry();
    private final Map<String, String> names = new ConcurrentHashMap<>();

    RatisRegistry(MetricRegistryInfo info) {
        this.info = Objects.requireNonNull(info, "info");
        this.namePrefix = MetricRegistry.name(info.getApplicationName(), info.getMetricsComponentName(),
                info.getPrefix());
    }

    @Override
    public Timekeeper timer(String name) {
        Timer timer = metrics.timer(fullName(name), () -> new Timer(new SlidingWindowReservoir(WINDOW)));
        return () -> timer.time()::stop;
    }

    @Override
    public LongCounter counter(String name) {
        Counter c = metrics.counter(fullName(name));
        return new LongCounter() {
            @Override
            public void inc(long n) {
                c.inc(n);
            }

            @Override
            public void dec(long n) {
                c.dec(n);
            }

            @Override
            public long getCount() {
                return c.getCount();
            }
        };
    }

    @Override
    public boolean remove(String name) {
        return metrics.remove(fullName(name));
    }

    @Override
    public <T> void gauge(String name, Supplier<Supplier<T>> gaugeSupplier) {
        metrics.gauge(fullName(name), () -> {
            Supplier<T> value = gaugeSupplier.get();
            return (Gauge<T>) value::get;
        });
    }

    @Override
    public MetricRegistryInfo getMetricRegistryInfo() {
        return info;
    }

    /** The Dropwizard registry holding this registry's metrics, for exporting them. */
    public MetricRegistry dropwizard() {
        return metrics;
    }

    /** The prefix of every metric name here, without the trailing dot. */
    public String namePrefix() {
        return namePrefix;
    }

    private String fullName(String shortName) {
        return names.computeIfAbsent(shortName, n -> MetricRegistry.name(namePrefix, n));
    }
}
