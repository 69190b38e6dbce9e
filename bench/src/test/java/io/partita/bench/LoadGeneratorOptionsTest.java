package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.bench.driver.EtcdDriver;
import io.partita.bench.driver.RedisDriver;
import io.partita.bench.driver.StoreDriver;
import io.partita.bench.driver.Target;
import io.partita.protocol.testing.TestPorts;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoadGeneratorOptionsTest {

    static Stream<Arguments> badOptions() {
        return Stream.of(
            bad("--threads must be >= 1, got -1", "--threads", "-1"),
            bad("--threads must be >= 1, got 0", "--threads", "0"),
            bad("--read-percent must be between 0 and 100, got 101", "--read-percent", "101"),
            bad("--read-percent must be between 0 and 100, got -5", "--read-percent", "-5"),
            bad("--records must be >= 1, got 0", "--keys", "0"),
            bad("--records must be >= 1, got 0", "--records", "0"),
            bad("--scan-length must be >= 1, got 0", "--scan-length", "0"),
            bad("--target-rate must be >= 0, got -1.0", "--target-rate", "-1"),
            bad("--read-percent cannot be combined with --workload or --mix", "--workload", "A", "--read-percent", "5"),
            bad("--mix: unknown operation 'get'", "--mix", "get=1"),
            bad("--mix: at least one operation needs a weight > 0", "--mix", "read=0"),
            bad("the partita driver cannot scan, so a mix with scans (workload E) cannot run against it", "--workload", "e"),
            bad("the redis driver cannot scan, so a mix with scans (scan 50%, rmw 50%) cannot run against it", "--target", "redis", "--mix", "scan=1,rmw=1"),
            bad("--value-size must be >= 1, got 0", "--value-size", "0"),
            bad("--bins must be >= 1, got 0", "--bins", "0"),
            bad("--timeout-ms must be >= 1, got 0", "--timeout-ms", "0"),
            bad("--duration must be greater than 0", "--duration", "0s"),
            bad("--progress-interval must be greater than 0", "--progress-interval", "0"),
            bad("Invalid value for option '--duration'", "--duration", "soon"),
            bad("Invalid value for option '--warmup'", "--warmup", "-1s"),
            bad("Invalid value for option '--threads'", "--threads", "many"),
            bad("--hosts: seed 'localhost' is not host:port", "--hosts", "localhost"),
            bad("--namespace/--set: namespace must not be empty", "--namespace", ""),
            bad("--json: directory /no/such/dir does not exist", "--json", "/no/such/dir/r.json"),
            bad("Invalid value for option '--target': expected one of [PARTITA, ETCD, REDIS, MEMCACHED] "
                + "(case-insensitive) but was 'mongo'", "--target", "mongo"),
            bad("Unknown option: '--frobnicate'", "--frobnicate"));
    }

    private static Arguments bad(String message, String... args) {
        return Arguments.of(List.of(args), message);
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void badOptionsExitWithCode2AndOneLine(List<String> args, String message) {
        GeneratorRun o = GeneratorRun.of(args.toArray(new String[0]));
        assertEquals(2, o.code(), o.err());
        assertEquals("", o.out());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().startsWith("partita bench: " + message), o.err());
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws Exception {
        BenchOptions o = BenchOptions.parse();
        assertEquals(Target.PARTITA, o.target());
        assertEquals(List.of("127.0.0.1:7300"), o.hosts());
        assertEquals("test", o.namespace());
        assertEquals("bench", o.set());
        assertEquals(100_000, o.records());
        assertEquals(100, o.valueSize());
        assertEquals(1, o.bins());
        assertEquals(16, o.threads());
        assertEquals(Duration.ofSeconds(30), o.duration());
        assertEquals(Duration.ofSeconds(5), o.warmup());
        assertEquals(OperationMix.readPercent(50), o.workload().mix());
        assertEquals(Distribution.UNIFORM, o.workload().distribution());
        assertEquals(0, o.targetRate());
        assertEquals(false, o.load());
        assertEquals(2000, o.timeoutMs());
        assertNull(o.histogramLog());
        assertNull(o.json());
        assertNull(o.seed());
        assertEquals(Duration.ofSeconds(5), o.progressInterval());
    }

    @Test
    void parsesEveryOption() throws Exception {
        BenchOptions o = BenchOptions.parse("--target", "etcd", "--hosts", "10.0.0.1:7300,10.0.0.2:7400",
            "--namespace", "ns", "--set", "s", "--keys", "5", "--value-size", "7", "--bins", "2", "--threads", "3",
            "--duration", "2m", "--warmup", "250ms", "--read-percent", "0", "--load", "--timeout-ms", "50",
            "--seed", "-9", "--progress-interval", "1");
        assertEquals(Target.ETCD, o.target());
        assertEquals(List.of("10.0.0.1:7300", "10.0.0.2:7400"), o.hosts());
        assertEquals(List.of("ns", "s", 5L, 7, 2, 3), List.of(o.namespace(), o.set(), o.records(), o.valueSize(),
            o.bins(), o.threads()));
        assertEquals(Duration.ofMinutes(2), o.duration());
        assertEquals(Duration.ofMillis(250), o.warmup());
        assertEquals(OperationMix.readPercent(0), o.workload().mix());
        assertTrue(o.load());
        assertEquals(50, o.timeoutMs());
        assertEquals(-9L, o.seed());
        assertEquals(Duration.ofSeconds(1), o.progressInterval());
    }

    @Test
    void workloadsHaveYcsbsMixesAndDistributionsAndCanBeOverridden() throws Exception {
        Workload a = BenchOptions.parse("--workload", "a").workload();
        assertEquals(OperationMix.parse("read=50,update=50"), a.mix());
        assertEquals(Distribution.ZIPFIAN, a.distribution());
        Workload d = BenchOptions.parse("--workload", "D").workload();
        assertEquals(OperationMix.parse("read=95,insert=5"), d.mix());
        assertEquals(Distribution.LATEST, d.distribution());
        assertEquals(OperationMix.parse("read=.5,rmw=.5"), BenchOptions.parse("--workload", "F").workload().mix());
        assertEquals(OperationMix.parse("scan=95,insert=5"),
            BenchOptions.parse("--target", "etcd", "--workload", "E").workload().mix());
        Workload custom = BenchOptions.parse("--workload", "C", "--mix", "read=9,update=1", "--distribution",
            "uniform").workload();
        assertEquals(OperationMix.parse("read=90,update=10"), custom.mix());
        assertEquals(Distribution.UNIFORM, custom.distribution());
        BenchOptions paced = BenchOptions.parse("--workload", "B", "--target-rate", "500");
        assertEquals(500, paced.targetRate());
        assertEquals("B", paced.describe(1).get("workload"));
        assertEquals("read 95%, update 5%", paced.describe(1).get("mix"));
        assertEquals("custom", BenchOptions.parse("--workload", "B", "--mix", "read=1").describe(1).get("workload"));
    }

    @Test
    void readPercentStillGivesAReadUpdateMixOverUniformKeys() throws Exception {
        Workload w = BenchOptions.parse("--read-percent", "80").workload();
        assertEquals(OperationMix.parse("read=80,update=20"), w.mix());
        assertEquals(Distribution.UNIFORM, w.distribution());
    }

    @Test
    void helpPrintsUsageAndExits0() {
        GeneratorRun o = GeneratorRun.of("--help");
        assertEquals(0, o.code());
        for (String opt : List.of("--target", "--hosts", "--namespace", "--set", "--keys", "--value-size", "--bins",
            "--threads", "--duration", "--warmup", "--read-percent", "--load", "--workload", "--mix",
            "--distribution", "--records", "--target-rate", "--scan-length", "--timeout-ms", "--histogram-log",
            "--json", "--seed")) {
            assertTrue(o.out().contains(opt), opt + " missing from:\n" + o.out());
        }
    }

    @Test
    void targetIsCaseInsensitiveAndReportedFirst() throws Exception {
        assertEquals(Target.ETCD, BenchOptions.parse("--target", "ETCD").target());
        assertEquals(Target.PARTITA, BenchOptions.parse("--target", "Partita").target());
        assertEquals(List.of("target", "hosts"),
            List.copyOf(BenchOptions.parse("--target", "etcd").describe(1).keySet()).subList(0, 2));
        assertEquals("etcd", BenchOptions.parse("--target", "etcd").describe(1).get("target"));
        assertEquals("partita", BenchOptions.parse().describe(1).get("target"));
    }

    @Test
    void eachTargetOpensItsOwnDriver() throws Exception {
        Workload w = BenchOptions.parse().workload();
        // jetcd connects on the first call, so an etcd driver can be built (and closed) without a cluster.
        try (StoreDriver<?, ?> d = Target.ETCD.open(List.of("127.0.0.1:1"), 100, 4, w)) {
            assertInstanceOf(EtcdDriver.class, d);
            assertEquals("127.0.0.1:1", d.endpoints());
        }
        // Jedis connects on the first call too.
        try (StoreDriver<?, ?> d = Target.REDIS.open(List.of("127.0.0.1:1"), 100, 4, w)) {
            assertInstanceOf(RedisDriver.class, d);
            assertEquals("127.0.0.1:1", d.endpoints());
        }
    }

    @Test
    @Timeout(60)
    void unreachableEtcdExitsWithCode1AndSaysSo() throws Exception {
        int port = closedPort();
        GeneratorRun o = GeneratorRun.of("--target", "etcd", "--hosts", "127.0.0.1:" + port, "--timeout-ms", "500",
            "--duration", "1s", "--warmup", "0s");
        assertEquals(1, o.code(), o.err());
        assertEquals("", o.out());
        assertTrue(o.err().startsWith("partita bench: the cluster at 127.0.0.1:" + port
            + " does not serve requests ("), o.err());
    }

    @Test
    @Timeout(60)
    void unreachableClusterExitsWithCode1AndSaysSo() throws Exception {
        int port = closedPort();
        GeneratorRun o = GeneratorRun.of("--hosts", "127.0.0.1:" + port, "--duration", "1s", "--warmup", "0s");
        assertEquals(1, o.code(), o.err());
        assertEquals("", o.out());
        assertTrue(o.err().startsWith("partita bench: cannot reach the cluster at 127.0.0.1:" + port + ": "),
            o.err());
    }

    private static int closedPort() {
        return TestPorts.free(); // bound, then closed again: nothing listens there
    }
}
