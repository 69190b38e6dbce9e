package io.partita.raft.group;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.metrics.MetricRegistries;

/**
 * Takes reporting of Ratis's metrics over from Ratis. Ratis starts a JMX reporter of its own unless a reporter is
 * registered before its first metric registry is created, and ratis-metrics-dropwizard3's JMX reporter is compiled
 * against Dropwizard Metrics 3 ({@code com.codahale.metrics.JmxReporter}), which Dropwizard 4 (the version used
 * here) no longer has: every group would fail to start. The node exports Ratis's registries itself (Prometheus),
 * so the registration reports nothing.
 */
final class RatisMetricsReporting {
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    private RatisMetricsReporting() {
    }

    /** Registers the (silent) reporter once per JVM; call before starting a Ratis server. */
    static void takeOver() {
        if (REGISTERED.compareAndSet(false, true)) {
            MetricRegistries.global().addReporterRegistration(registry -> { }, registry -> { });
        }
    }
}
