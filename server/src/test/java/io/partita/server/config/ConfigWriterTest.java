package io.partita.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.server.config.NodeConfig.Listen;
import io.partita.server.config.NodeConfig.Memory;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import io.partita.server.config.NodeConfig.RaftTuning;
import io.partita.server.config.NodeConfig.Rebalance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWriterTest {

    private static void assertRoundTrips(NodeConfig config) {
        String yaml = ConfigWriter.toYaml(config);
        assertEquals(config, ConfigLoader.parse(yaml, "written"), yaml);
    }

    @Test
    void defaultsRoundTrip() {
        assertRoundTrips(NodeConfig.defaults("n1", Path.of("./data")));
    }

    @Test
    void nonDefaultConfigRoundTrips() {
        NodeConfig config = new NodeConfig("7", "true", new Listen("::1", 0, 0, 0), Path.of("/var/lib/partita data"),
                4096,
                List.of(new NamespaceConfig("users", 7, 30L * 86400, 128L << 20),
                        new NamespaceConfig("null", 3, 3601, 1000 * 1024 + 1),
                        new NamespaceConfig("yes", 2, 5400, 1536 * 1024)),
                new Memory(64L << 30, 8L << 20),
                new RaftTuning(Duration.ofMillis(100), Duration.ofMillis(1500), false, 1L << 30, 1, 4096),
                List.of("10.0.0.2:7300", "[::1]:7400"),
                new NodeConfig.Metrics(Duration.ofMillis(1500)),
                new NodeConfig.Expiry(Duration.ofSeconds(90), 123),
                "rack-7.eu_west",
                new Rebalance(64, Duration.ofDays(7)),
                true,
                Duration.ofMillis(2500),
                new NodeConfig.Tls(true, Path.of("/etc/partita/tls/n 7.crt"), Path.of("n7.key"),
                        Path.of("/etc/partita/tls/ca.crt"), true),
                Path.of("/var/log/partita/audit.jsonl"),
                new NodeConfig.Security(true, Duration.ofMinutes(90)),
                new NodeConfig.Limits(1, 100_000, 1, 1_024));
        assertRoundTrips(config);
    }

    @Test
    void rackAndRebalanceRoundTripAndAreWrittenOnlyWhenSet() {
        NodeConfig base = NodeConfig.defaults("n1", Path.of("./data"));
        String defaults = ConfigWriter.toYaml(base);
        assertFalse(defaults.contains("rack"), defaults);
        assertFalse(defaults.contains("rebalance"), defaults);

        NodeConfig racked = base.withRack("eu-west-1a");
        assertRoundTrips(racked);
        String yaml = ConfigWriter.toYaml(racked);
        assertTrue(yaml.contains("\ncluster-name: partita\nrack: eu-west-1a\n"), yaml);
        assertFalse(yaml.contains("rebalance"), yaml);

        NodeConfig moving = base.withRebalance(new Rebalance(8, Duration.ofSeconds(45)));
        assertRoundTrips(moving);
        yaml = ConfigWriter.toYaml(moving);
        assertTrue(yaml.endsWith("\nrebalance:\n  max-concurrent-moves: 8\n  move-timeout: 45s\n"), yaml);
        assertFalse(yaml.contains("rack"), yaml);

        // one value off its default writes the section, both keys
        assertRoundTrips(base.withRebalance(new Rebalance(2, Duration.ofMillis(10_001))));
        assertTrue(ConfigWriter.toYaml(base.withRebalance(new Rebalance(3, Rebalance.DEFAULT_MOVE_TIMEOUT)))
                .endsWith("\nrebalance:\n  max-concurrent-moves: 3\n  move-timeout: 30m\n"));
        assertRoundTrips(base.withRack("zone-b").withRebalance(new Rebalance(1, Duration.ofSeconds(10))));
    }

    @Test
    void racksThatLookLikeOtherYamlValuesRoundTrip() {
        NodeConfig base = NodeConfig.defaults("n1", Path.of("./data"));
        for (String rack : List.of("1", "007", "1.5", "1e3", "1_000", "0x1F", "true", "no", "on", "null", "Null",
                ".nan", ".inf", "-.inf", "-", ".", "_", "2024-01-01", "12.30", "r".repeat(64))) {
            assertRoundTrips(base.withRack(rack));
        }
    }

    @Test
    void advertisedRaftAddressRoundTrips() {
        NodeConfig base = NodeConfig.defaults("n1", Path.of("./data"));
        assertRoundTrips(base.withListen(new Listen("127.0.0.1", 7300, 7301, 7302, "127.0.0.1:17301")));
    }

    @Test
    void writesReadableUnits() {
        String yaml = ConfigWriter.toYaml(NodeConfig.defaults("n1", Path.of("./data")));
        assertTrue(yaml.startsWith("# Partita node configuration for node 'n1'.\n"), yaml);
        assertTrue(yaml.contains("\n  - name: test\n    replication-factor: 1\n    default-ttl: 0\n"
                + "    max-record-size: 1M\n"), yaml);
        assertTrue(yaml.contains("\n  election-timeout-min: 1s\n  election-timeout-max: 2s\n  log-sync: true\n"), yaml);
        assertTrue(yaml.contains("\n  block-cache: 256M\n"), yaml);
    }

    @Test
    void writesAFileThatLoadsBack(@TempDir Path dir) throws IOException {
        NodeConfig config = NodeConfig.defaults("n3", dir.resolve("n3")).withPorts(0, 0, 0);
        Path file = dir.resolve("n3").resolve("node.yaml");
        ConfigWriter.write(config, file);
        ConfigWriter.write(config.withRaftGroups(2), file); // replaces
        assertEquals(config.withRaftGroups(2), ConfigLoader.load(file));
        ConfigWriter.write(config.withRaftGroups(NodeConfig.RAFT_GROUPS_AUTO), file);
        assertTrue(Files.readString(file).contains("\nraft-groups: auto\n"));
        assertEquals(config.withRaftGroups(NodeConfig.RAFT_GROUPS_AUTO), ConfigLoader.load(file));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary files left behind");
        }
    }
}
