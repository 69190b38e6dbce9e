package io.partita.raft.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Timer;
import java.util.List;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;
import org.junit.jupiter.api.Test;

class RatisRegistriesTest {
    private static MetricRegistryInfo info(String prefix) {
        return new MetricRegistryInfo(prefix, "ratis", "log_worker", "test registry");
    }

    @Test
    void ratisLoadsThisImplementation() {
        assertInstanceOf(RatisRegistries.class, MetricRegistries.global());
    }

    @Test
    void registriesAreReferenceCounted() {
        RatisRegistries registries = new RatisRegistries();
        MetricRegistryInfo a = info("n1@group-A");
        RatisMetricRegistry first = registries.create(a);
        assertSame(first, registries.create(a));
        assertEquals(List.of(first), List.copyOf(registries.getMetricRegistries()));

        assertFalse(registries.remove(a), "one reference is left");
        assertSame(first, registries.get(a).orElseThrow());
        assertTrue(registries.remove(a));
        assertTrue(registries.get(a).isEmpty());
        assertFalse(registries.remove(a));
        assertNotSame(first, registries.create(a));
    }

    @Test
    void timersKeepTheLastWindowOfSamplesUnderRatisNames() {
        RatisRegistry registry = (RatisRegistry) new RatisRegistries().create(info("n1@group-A"));
        Timekeeper timekeeper = registry.timer("flushTime");
        for (int i = 0; i < RatisRegistry.WINDOW + 10; i++) {
            timekeeper.time().stop();
        }
        assertEquals("ratis.log_worker.n1@group-A", registry.namePrefix());
        Timer timer = registry.dropwizard().getTimers().get("ratis.log_worker.n1@group-A.flushTime");
        assertNotNull(timer);
        assertEquals(RatisRegistry.WINDOW + 10, timer.getCount());
        assertEquals(RatisRegistry.WINDOW, timer.getSnapshot().size());
        assertSame(timer, registry.dropwizard().getTimers().get("ratis.log_worker.n1@group-A.flushTime"));
    }

    @Test
    void countersGaugesAndRemoval() {
        RatisRegistry registry = (RatisRegistry) new RatisRegistries().create(info("n1@group-B"));
        registry.counter("appendEntryCount").inc(3);
        registry.counter("appendEntryCount").dec(1);
        assertEquals(2, registry.counter("appendEntryCount").getCount());
        registry.gauge("lastIndex", () -> () -> 42L);
        assertEquals(42L, registry.dropwizard().getGauges().get("ratis.log_worker.n1@group-B.lastIndex").getValue());
        assertTrue(registry.remove("lastIndex"));
        assertTrue(registry.dropwizard().getGauges().isEmpty());
    }

    @Test
    void reportersAreNeverRun() {
        RatisRegistries registries = new RatisRegistries();
        registries.addReporterRegistration(r -> {
            throw new AssertionError("no reporter may run");
        }, r -> { });
        registries.create(info("n1@group-C"));
        assertThrows(UnsupportedOperationException.class, registries::enableJmxReporter);
    }
}
