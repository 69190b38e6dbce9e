package io.partita.raft.metrics;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM's Ratis metric registries ({@link MetricRegistries#global()}, found through {@code META-INF/services}):
 * {@link RatisRegistry} instances, reference-counted per {@link MetricRegistryInfo} as the contract asks (Ratis
 * creates a division's registries when it starts and removes them when it closes; a group started twice in one
 * JVM, as in-process cluster tests do, shares them).
 *
 * <p>Reporters are not supported: the node exports the registries itself (Prometheus). Registering one is ignored
 * with a warning, and JMX or console reporting is refused, so nothing is reported twice or behind the node's back.
 */
public final class RatisRegistries extends MetricRegistries {
    private static final Logger LOG = LoggerFactory.getLogger(RatisRegistries.class);

    private record Counted(RatisRegistry registry, int references) {
    }

    private final Map<MetricRegistryInfo, Counted> registries = new HashMap<>();

    /** Called by {@link java.util.ServiceLoader}. */
    public RatisRegistries() {
    }

    @Override
    public synchronized RatisMetricRegistry create(MetricRegistryInfo info) {
        Counted c = registries.get(info);
        Counted next = c == null ? new Counted(new RatisRegistry(info), 1) : new Counted(c.registry(), c.references() + 1);
        registries.put(info, next);
        return next.registry();
    }

    @Override
    public synchronized boolean remove(MetricRegistryInfo key) {
        Counted c = registries.get(key);
        if (c == null) {
            return false;
        }
        if (c.references() <= 1) {
            registries.remove(key);
            return true;
        }
        registries.put(key, new Counted(c.registry(), c.references() - 1));
        return false;
    }

    @Override
    public synchronized Optional<RatisMetricRegistry> get(MetricRegistryInfo info) {
        Counted c = registries.get(info);
        return c == null ? Optional.empty() : Optional.of(c.registry());
    }

    @Override
    public synchronized Set<MetricRegistryInfo> getMetricRegistryInfos() {
        return Set.copyOf(registries.keySet());
    }

    @Override
    public synchronized Collection<RatisMetricRegistry> getMetricRegistries() {
        return registries.values().stream().<RatisMetricRegistry>map(Counted::registry).toList();
    }

    @Override
    public synchronized void clear() {
        registries.clear();
    }

    @Override
    public void addReporterRegistration(Consumer<RatisMetricRegistry> reporterRegistration,
                                        Consumer<RatisMetricRegistry> stopReporter) {
        LOG.warn("Ratis metric reporters are not supported here (the node exports Ratis's metrics itself); ignored");
    }

    @Override
    public void enableJmxReporter() {
        throw new UnsupportedOperationException("Ratis's JMX reporter is not supported: use the node's /metrics");
    }

    @Override
    public void enableConsoleReporter(TimeDuration consoleReportRate) {
        throw new UnsupportedOperationException("Ratis's console reporter is not supported: use the node's /metrics");
    }
}
