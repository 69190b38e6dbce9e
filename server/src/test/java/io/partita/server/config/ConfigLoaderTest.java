package io.partita.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.server.config.NodeConfig.Listen;
import io.partita.server.config.NodeConfig.Memory;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import io.partita.server.config.NodeConfig.RaftTuning;
import io.partita.server.config.NodeConfig.Rebalance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    private static final String SOURCE = "conf/node.yaml";

    private static NodeConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, SOURCE);
    }

    private static String error(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        assertFalse(e.getMessage().contains("\n"), () -> "message must be one line: " + e.getMessage());
        assertEquals(SOURCE, e.source());
        return e.getMessage();
    }

    @Test
    void onlyNodeIdGivesTheDefaults() {
        NodeConfig config = parse("node-id: n1\n");
        assertEquals(NodeConfig.defaults("n1", Path.of("./data")), config);
        assertEquals("partita", config.clusterName());
        assertEquals(new Listen("127.0.0.1", 7300, 7301, 7302), config.listen());
        assertEquals(NodeConfig.RAFT_GROUPS_AUTO, config.raftGroups());
        assertEquals(NodeConfig.RAFT_GROUPS_AUTO, parse("node-id: n1\nraft-groups: auto\n").raftGroups());
        assertEquals(List.of(new NamespaceConfig("test", 1, 0, 1024 * 1024)), config.namespaces());
        assertEquals(new Memory(256L << 20, 256L << 20), config.memory());
        assertEquals(new RaftTuning(Duration.ofSeconds(1), Duration.ofSeconds(2), true, 8L << 20, 256, 1L << 20),
                config.raft());
        assertEquals("", config.rack());
        assertEquals(new Rebalance(2, Duration.ofMinutes(30)), config.rebalance());
        assertEquals(Rebalance.defaults(), parse("node-id: n1\nrebalance:\n").rebalance());
        assertEquals(Rebalance.defaults(), parse("node-id: n1\nrebalance: {}\n").rebalance());
        assertEquals("", parse("node-id: n1\nrack: ''\n").rack());
        assertFalse(config.autoJoin());
    }

    @Test
    void readsAutoJoinWithSeeds() {
        NodeConfig config = parse("node-id: n4\nseeds:\n  - 127.0.0.1:7300\nauto-join: true\n");
        assertTrue(config.autoJoin());
        assertEquals(NodeConfig.defaults("n4", Path.of("./data")).withSeeds(List.of("127.0.0.1:7300"))
                .withAutoJoin(true), config);
        assertFalse(parse("node-id: n4\nseeds:\n  - 127.0.0.1:7300\nauto-join: false\n").autoJoin());
        assertFalse(parse("node-id: n1\nauto-join: off\n").autoJoin(), "false needs no seeds");
        assertEquals(java.time.Duration.ofSeconds(10), parse("node-id: n1\n").stopHandOff(), "default");
        assertEquals(java.time.Duration.ZERO, parse("node-id: n1\nstop-hand-off: 0s\n").stopHandOff());
        assertEquals(java.time.Duration.ofMillis(1500), parse("node-id: n1\nstop-hand-off: 1500ms\n").stopHandOff());
        // Every copy keeps the key; dropping the seeds of a joining node is refused like a file without them.
        assertTrue(config.withPorts(0, 0, 0).withRack("r1").autoJoin());
        ConfigException e = assertThrows(ConfigException.class, () -> config.withSeeds(List.of()));
        assertEquals("auto-join", e.keyPath());
    }

    @Test
    void readsTls() {
        assertEquals(NodeConfig.Tls.disabled(), parse("node-id: n1\n").tls(), "default");
        NodeConfig config = parse("""
                node-id: n1
                tls:
                  enabled: true
                  cert-file: /etc/partita/tls/n1.crt
                  key-file: /etc/partita/tls/n1.key
                  ca-file: /etc/partita/tls/ca.crt
                  client-auth: true
                """);
        assertEquals(new NodeConfig.Tls(true, Path.of("/etc/partita/tls/n1.crt"), Path.of("/etc/partita/tls/n1.key"),
                Path.of("/etc/partita/tls/ca.crt"), true), config.tls());
    }

    @Test
    void readsTheAuditLogFile() {
        assertEquals(Path.of("./data/audit.log"), parse("node-id: n1\n").auditLogFile(), "default: in the data dir");
        assertEquals(Path.of("/var/log/partita/audit.jsonl"),
                parse("node-id: n1\naudit-log: /var/log/partita/audit.jsonl\n").auditLogFile());
    }

    @Test
    void readsRackAndRebalance() {
        NodeConfig config = parse("""
                node-id: n1
                rack: eu-west-1a
                rebalance:
                  max-concurrent-moves: 64
                  move-timeout: 7d
                """);
        assertEquals("eu-west-1a", config.rack());
        assertEquals(new Rebalance(64, Duration.ofDays(7)), config.rebalance());
        assertEquals(NodeConfig.defaults("n1", Path.of("./data")).withRack("eu-west-1a")
                .withRebalance(new Rebalance(64, Duration.ofDays(7))), config);

        NodeConfig lowest = parse("node-id: n1\nrack: " + "R_1.b-".repeat(10) + "abcd\n"
                + "rebalance: {max-concurrent-moves: 1, move-timeout: 10s}\n");
        assertEquals("R_1.b-".repeat(10) + "abcd", lowest.rack());
        assertEquals(64, lowest.rack().length());
        assertEquals(new Rebalance(1, Duration.ofSeconds(10)), lowest.rebalance());

        NodeConfig partial = parse("node-id: n1\nrebalance:\n  move-timeout: 10000ms\n");
        assertEquals(new Rebalance(2, Duration.ofSeconds(10)), partial.rebalance());
        assertEquals("", partial.rack());
        assertEquals("7", parse("node-id: n1\nrack: 7\n").rack());
    }

    @Test
    void readsEveryKey() {
        NodeConfig config = parse("""
                node-id: node-7
                cluster-name: prod_eu-1
                listen:
                  address: db7.example.com
                  client-port: 3000
                  raft-port: 0
                  admin-port: 0
                data-dir: /var/lib/partita
                raft-groups: 4096
                namespaces:
                  - name: users
                    replication-factor: 3
                    default-ttl: 30d
                    max-record-size: 128M
                  - name: Sessions_2
                    default-ttl: 3600
                    max-record-size: 1536k
                memory:
                  write-buffer: 1G
                  block-cache: 8388608
                raft:
                  election-timeout-min: 150ms
                  election-timeout-max: 60s
                  log-sync: false
                  segment-size: 1G
                  batch-max-commands: 65536
                  batch-max-bytes: 64M
                  snapshot-every-entries: 5000
                  snapshot-transfer-mb-per-s: 100
                """);
        assertEquals("node-7", config.nodeId());
        assertEquals("prod_eu-1", config.clusterName());
        assertEquals(new Listen("db7.example.com", 3000, 0, 0), config.listen());
        assertEquals(Path.of("/var/lib/partita"), config.dataDir());
        assertEquals(4096, config.raftGroups());
        assertEquals(List.of(new NamespaceConfig("users", 3, 30L * 86400, 128L << 20),
                new NamespaceConfig("Sessions_2", 1, 3600, 1536L << 10)), config.namespaces());
        assertEquals(new NamespaceConfig("users", 3, 30L * 86400, 128L << 20), config.namespace("users"));
        assertEquals(new Memory(1L << 30, 8L << 20), config.memory());
        assertEquals(new RaftTuning(Duration.ofMillis(150), Duration.ofSeconds(60), false, 1L << 30, 65536, 64L << 20,
                5000, 100), config.raft());
    }

    @Test
    void acceptsYamlSpellingsOfValues() {
        NodeConfig config = parse("""
                node-id: 1
                listen: {client-port: 1_000, raft-port: +1001, admin-port: 1002}
                memory:
                raft:
                  log-sync: off
                """);
        assertEquals("1", config.nodeId());
        assertEquals(new Listen("127.0.0.1", 1000, 1001, 1002), config.listen());
        assertEquals(Memory.defaults(), config.memory());
        assertFalse(config.raft().logSync());
        assertTrue(parse("node-id: n1\nraft: {log-sync: yes}\n").raft().logSync());
        assertEquals("n1", parse("node-id: \"n1\"\ncluster-name: 'true'\n").nodeId());
        assertEquals("true", parse("node-id: n1\ncluster-name: 'true'\n").clusterName());
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
            // the example from the documentation
            bad("namespaces:\n  - name: test\n    max-record-size: 3Q\n",
                "namespaces[0].max-record-size: '3Q' is not a size (use e.g. 512K, 1M)"),
            // required keys and identifiers
            badRoot("cluster-name: x\n", "node-id: is required (e.g. node-id: n1)"),
            badRoot("node-id: N1\n",
                "node-id: 'N1' is not a valid node id (use 1-32 characters of a-z, 0-9 and -)"),
            badRoot("node-id: " + "a".repeat(33) + "\n",
                "node-id: '" + "a".repeat(33) + "' is not a valid node id (use 1-32 characters of a-z, 0-9 and -)"),
            badRoot("node-id:\n", "node-id: is required (e.g. node-id: n1)"),
            bad("cluster-name: my cluster\n",
                "cluster-name: 'my cluster' is not a valid cluster name (use 1-64 characters of a-z, A-Z, 0-9, _ and -)"),
            // listen
            bad("listen: [a, b]\n", "listen: expected a mapping of keys (e.g. client-port: 7300), found a list"),
            bad("listen: 7300\n", "listen: expected a mapping of keys (e.g. client-port: 7300), found '7300'"),
            bad("listen:\n  client-port: abc\n",
                "listen.client-port: 'abc' is not an integer (must be 0..65535; 0 = pick a free port)"),
            bad("listen:\n  client-port: '7300'\n",
                "listen.client-port: '7300' is quoted text, not an integer (remove the quotes)"),
            bad("listen:\n  client-port: 7300.5\n",
                "listen.client-port: '7300.5' is not an integer (must be 0..65535; 0 = pick a free port)"),
            bad("listen:\n  client-port: 0x1C\n",
                "listen.client-port: '0x1C' is not an integer (must be 0..65535; 0 = pick a free port)"),
            bad("listen:\n  client-port: [7300]\n", "listen.client-port: expected an integer, found a list"),
            bad("listen:\n  client-port:\n",
                "listen.client-port: has no value (give an integer, or remove the key to use the default)"),
            bad("listen:\n  client-port: 70000\n",
                "listen.client-port: '70000' is out of range (must be 0..65535; 0 = pick a free port)"),
            bad("limits:\n  max-calls-per-connection: 0\n",
                "limits.max-calls-per-connection: '0' is out of range (must be 1..100000)"),
            bad("listen:\n  admin-port: -1\n",
                "listen.admin-port: '-1' is out of range (must be 0..65535; 0 = pick a free port)"),
            bad("listen:\n  admin-port: 99999999999999999999\n",
                "listen.admin-port: '99999999999999999999' is out of range (must be 0..65535; 0 = pick a free port)"),
            bad("listen:\n  raft-port: 7300\n",
                "listen.raft-port: '7300' is already the client-port (each port must be different, or 0 to pick a free one)"),
            bad("listen:\n  admin-port: 7301\n",
                "listen.admin-port: '7301' is already the raft-port (each port must be different, or 0 to pick a free one)"),
            bad("listen:\n  address: 0.0.0.0\n",
                "listen.address: '0.0.0.0' is a wildcard address, which clients and peers cannot connect to; keep it"
                    + " and set advertise-address to this machine's host name or IP address, or use that as the"
                    + " address"),
            bad("listen:\n  address: 0.0.0.0\n  advertise-address: '::'\n",
                "listen.advertise-address: '::' is a wildcard address; clients and peers need an address they can"
                    + " connect to (use this machine's host name or IP address)"),
            bad("listen:\n  advertise-address: 'a b'\n",
                "listen.advertise-address: 'a b' is not a valid address (use a host name or IP address others can"
                    + " connect to, e.g. db7.example.com)"),
            bad("listen:\n  advertise-raft-address: 127.0.0.1\n",
                "listen.advertise-raft-address: '127.0.0.1' is not a host:port address (e.g. 10.0.0.2:7300, port"
                    + " 1..65535)"),
            bad("listen:\n  advertise-raft-address: 0.0.0.0:7301\n",
                "listen.advertise-raft-address: '0.0.0.0:7301' has a wildcard host; peers need an address they can"
                    + " connect to"),
            bad("listen:\n  raft-port: 0\n  advertise-raft-address: 127.0.0.1:9000\n",
                "listen.advertise-raft-address: is set but raft-port is 0; whatever forwards the advertised address"
                    + " must know the port, so set a fixed raft-port"),
            bad("listen:\n  address: 'my host'\n",
                "listen.address: 'my host' is not a valid address (use a host name or IP address, e.g. 10.0.0.5)"),
            // data-dir and raft-groups
            bad("data-dir: [a]\n", "data-dir: expected a text value, found a list"),
            bad("raft-groups: 0\n", "raft-groups: '0' is out of range (must be 1..4096; or auto)"),
            bad("raft-groups: 4097\n", "raft-groups: '4097' is out of range (must be 1..4096; or auto)"),
            bad("raft-groups: many\n", "raft-groups: 'many' is not an integer (must be 1..4096; or auto)"),
            // namespaces
            bad("namespaces: []\n", "namespaces: at least one namespace is required (e.g. - name: test)"),
            bad("namespaces:\n", "namespaces: at least one namespace is required (e.g. - name: test)"),
            bad("namespaces:\n  name: test\n", "namespaces: expected a list of namespaces (- name: test), found a mapping"),
            bad("namespaces:\n  - test\n", "namespaces[0]: expected a mapping of keys (e.g. name: test), found 'test'"),
            bad("namespaces:\n  - replication-factor: 2\n", "namespaces[0].name: is required (e.g. - name: test)"),
            bad("namespaces:\n  - name: test\n  - name: users\n  - name: test\n",
                "namespaces[2].name: 'test' is already the name of namespaces[0] (namespace names must be unique)"),
            bad("namespaces:\n  - name: bad name!\n",
                "namespaces[0].name: 'bad name!' is not a valid namespace name (use 1-31 characters of a-z, A-Z, 0-9, _ and -)"),
            bad("namespaces:\n  - name: " + "n".repeat(32) + "\n",
                "namespaces[0].name: '" + "n".repeat(32)
                    + "' is not a valid namespace name (use 1-31 characters of a-z, A-Z, 0-9, _ and -)"),
            bad("namespaces:\n  - name: a\n  - name: b\n    replication-factor: 8\n",
                "namespaces[1].replication-factor: '8' is out of range (must be 1..7)"),
            bad("namespaces:\n  - name: a\n    replication-factor: 0\n",
                "namespaces[0].replication-factor: '0' is out of range (must be 1..7)"),
            bad("namespaces:\n  - name: a\n    default-ttl: forever\n",
                "namespaces[0].default-ttl: 'forever' is not a TTL (use seconds, or e.g. 30d, 12h, 90m, 45s; 0 = never expire)"),
            bad("namespaces:\n  - name: a\n    default-ttl: -1\n",
                "namespaces[0].default-ttl: '-1' is not a TTL (use seconds, or e.g. 30d, 12h, 90m, 45s; 0 = never expire)"),
            bad("namespaces:\n  - name: a\n    default-ttl: 1500ms\n",
                "namespaces[0].default-ttl: '1500ms' is not a whole number of seconds (TTLs have 1s resolution)"),
            bad("namespaces:\n  - name: a\n    default-ttl: 3651d\n",
                "namespaces[0].default-ttl: '3651d' is out of range (must be 0..3650d; 0 = never expire)"),
            bad("namespaces:\n  - name: a\n    max-record-size: 512\n",
                "namespaces[0].max-record-size: '512' is out of range (must be 1K..128M)"),
            bad("namespaces:\n  - name: a\n    max-record-size: 129M\n",
                "namespaces[0].max-record-size: '129M' is out of range (must be 1K..128M)"),
            // memory
            bad("memory:\n  write-buffer: 4M\n", "memory.write-buffer: '4M' is out of range (must be 8M..64G)"),
            bad("memory:\n  block-cache: 65G\n", "memory.block-cache: '65G' is out of range (must be 8M..64G)"),
            bad("memory:\n  block-cache: lots\n", "memory.block-cache: 'lots' is not a size (use e.g. 512K, 1M)"),
            bad("memory: [256M]\n", "memory: expected a mapping of keys (e.g. block-cache: 256M), found a list"),
            // raft
            bad("raft:\n  election-timeout-min: 50ms\n",
                "raft.election-timeout-min: '50ms' is out of range (must be 100ms..1m)"),
            bad("raft:\n  election-timeout-max: 1000\n",
                "raft.election-timeout-max: '1000' has no unit (use e.g. 500ms, 2s, 90m, 12h, 30d)"),
            bad("raft:\n  election-timeout-min: 2s\n",
                "raft.election-timeout-min: '2s' must be less than election-timeout-max ('2s'); leaders are elected"
                    + " reliably when the range is wide, e.g. 1s..2s"),
            bad("raft:\n  election-timeout-min: 3s\n  election-timeout-max: 2000ms\n",
                "raft.election-timeout-min: '3s' must be less than election-timeout-max ('2s'); leaders are elected"
                    + " reliably when the range is wide, e.g. 1s..2s"),
            bad("raft:\n  log-sync: maybe\n", "raft.log-sync: 'maybe' is not a boolean (use true or false)"),
            bad("raft:\n  log-sync: 1\n", "raft.log-sync: '1' is not a boolean (use true or false)"),
            bad("raft:\n  log-sync: 'false'\n", "raft.log-sync: 'false' is quoted text, not a boolean (remove the quotes)"),
            bad("raft:\n  segment-size: 512K\n", "raft.segment-size: '512K' is out of range (must be 1M..1G)"),
            bad("raft:\n  segment-size: 2G\n", "raft.segment-size: '2G' is out of range (must be 1M..1G)"),
            bad("raft:\n  batch-max-commands: 0\n",
                "raft.batch-max-commands: '0' is out of range (must be 1..65536)"),
            bad("raft:\n  batch-max-commands: 65537\n",
                "raft.batch-max-commands: '65537' is out of range (must be 1..65536)"),
            bad("raft:\n  batch-max-bytes: 2K\n", "raft.batch-max-bytes: '2K' is out of range (must be 4K..64M)"),
            bad("raft:\n  snapshot-every-entries: 99\n",
                "raft.snapshot-every-entries: '99' is out of range (must be 100..1000000000)"),
            bad("raft:\n  snapshot-transfer-mb-per-s: 0\n",
                "raft.snapshot-transfer-mb-per-s: '0' is out of range (must be 1..10000)"),
            bad("raft:\n  batch-max-bytes: 65M\n", "raft.batch-max-bytes: '65M' is out of range (must be 4K..64M)"),
            bad("raft:\n  batch-max-bytes: 16M\n",
                "raft.batch-max-bytes: '16M' is larger than segment-size ('8M'); a log entry must fit in one segment"
                    + " (raise segment-size or lower batch-max-bytes)"),
            // metrics
            bad("metrics:\n  slow-request-threshold: 2h\n",
                "metrics.slow-request-threshold: '2h' is out of range (must be 0s..1h; 0s = off)"),
            bad("expiry:\n  period: 2d\n", "expiry.period: '2d' is out of range (must be 0s..1d; 0s = never remove)"),
            bad("expiry:\n  max-deletes-per-second: 0\n",
                "expiry.max-deletes-per-second: '0' is out of range (must be 1..1000000)"),
            // rack
            bad("rack: rack 1\n",
                "rack: 'rack 1' is not a valid rack label (use 0-64 characters of a-z, A-Z, 0-9, _, . and -)"),
            bad("rack: " + "r".repeat(65) + "\n",
                "rack: '" + "r".repeat(65) + "' is not a valid rack label (use 0-64 characters of a-z, A-Z, 0-9,"
                    + " _, . and -)"),
            bad("rack: zone/a\n",
                "rack: 'zone/a' is not a valid rack label (use 0-64 characters of a-z, A-Z, 0-9, _, . and -)"),
            bad("rack:\n", "rack: has no value (give a text value, or remove the key to use the default)"),
            bad("rack: [a, b]\n", "rack: expected a text value, found a list"),
            // rebalance
            bad("rebalance:\n  max-concurrent-moves: 0\n",
                "rebalance.max-concurrent-moves: '0' is out of range (must be 1..64)"),
            bad("rebalance:\n  max-concurrent-moves: 65\n",
                "rebalance.max-concurrent-moves: '65' is out of range (must be 1..64)"),
            bad("rebalance:\n  max-concurrent-moves: two\n",
                "rebalance.max-concurrent-moves: 'two' is not an integer (must be 1..64)"),
            bad("rebalance:\n  move-timeout: 1s\n",
                "rebalance.move-timeout: '1s' is out of range (must be 10s..7d)"),
            bad("rebalance:\n  move-timeout: 8d\n",
                "rebalance.move-timeout: '8d' is out of range (must be 10s..7d)"),
            bad("rebalance:\n  move-timeout: 9999ms\n",
                "rebalance.move-timeout: '9999ms' is out of range (must be 10s..7d)"),
            bad("rebalance:\n  move-timeout: 1800\n",
                "rebalance.move-timeout: '1800' has no unit (use e.g. 500ms, 2s, 90m, 12h, 30d)"),
            bad("rebalance:\n  max-moves: 4\n",
                "rebalance.max-moves: unknown key (valid keys here: max-concurrent-moves, move-timeout)"),
            bad("rebalance:\n  move_timeout: 1h\n",
                "rebalance.move_timeout: unknown key (did you mean 'move-timeout'?)"),
            bad("rebalance: 2\n",
                "rebalance: expected a mapping of keys (e.g. max-concurrent-moves: 2), found '2'"),
            bad("metrics:\n  slow-request-threshold: 500\n",
                "metrics.slow-request-threshold: '500' has no unit (use e.g. 500ms, 2s, 90m, 12h, 30d)"),
            // unknown and duplicate keys
            badRoot("node_id: n1\n", "node_id: unknown key (did you mean 'node-id'?)"),
            bad("listen:\n  clent-port: 7300\n", "listen.clent-port: unknown key (did you mean 'client-port'?)"),
            bad("namespaces:\n  - name: a\n    replication_factor: 3\n",
                "namespaces[0].replication_factor: unknown key (did you mean 'replication-factor'?)"),
            bad("raft:\n  logsync: true\n", "raft.logsync: unknown key (did you mean 'log-sync'?)"),
            bad("threads: 8\n", "threads: unknown key (valid keys here: node-id, cluster-name, listen, data-dir,"
                    + " raft-groups, namespaces, memory, raft, seeds, metrics, expiry, rack, rebalance, auto-join,"
                    + " stop-hand-off, tls, audit-log, security,"
                    + " limits)"),
            // tls
            bad("tls:\n  enabled: true\n  cert-file: n1.crt\n  key-file: n1.key\n",
                "tls.ca-file: is required when enabled is true (a PEM file; 'partita tls' makes them)"),
            bad("tls:\n  client-auth: true\n", "tls.client-auth: is true but enabled is false (client certificates"
                    + " are checked only over TLS: enable it, or set client-auth: false)"),
            bad("tls:\n  certfile: x\n", "tls.certfile: unknown key (did you mean 'cert-file'?)"),
            // security
            bad("security:\n  enabled: true\n", "security.enabled: is true but tls.enabled is false: passwords and"
                    + " session tokens would cross the network in clear (enable tls, or set security.enabled: false)"),
            bad("security:\n  session-ttl: 30s\n", "security.session-ttl: '30s' is out of range (must be 1m..7d)"),
            // stop-hand-off
            bad("stop-hand-off: 6m\n", "stop-hand-off: '6m' is out of range (must be 0s..5m; 0s = no hand-off)"),
            bad("stop-hand-off: ten\n", "stop-hand-off: 'ten' is not a duration (use e.g. 500ms, 2s, 90m, 12h, 30d)"),
            // auto-join
            bad("auto-join: true\n", "auto-join: is true but seeds is empty: a node joins a cluster by asking one of"
                    + " its seeds (list the client addresses of running members under seeds, or set auto-join:"
                    + " false)"),
            bad("seeds: []\nauto-join: yes\n", "auto-join: is true but seeds is empty: a node joins a cluster by"
                    + " asking one of its seeds (list the client addresses of running members under seeds, or set"
                    + " auto-join: false)"),
            bad("seeds: [10.0.0.2:7300]\nauto-join: 'true'\n",
                "auto-join: 'true' is quoted text, not a boolean (remove the quotes)"),
            bad("seeds: [10.0.0.2:7300]\nauto-join: 1\n", "auto-join: '1' is not a boolean (use true or false)"),
            bad("seeds: [10.0.0.2:7300]\nauto-join:\n",
                "auto-join: has no value (give a boolean, or remove the key to use the default)"),
            bad("autojoin: true\n", "autojoin: unknown key (did you mean 'auto-join'?)"),
            bad("seeds: 10.0.0.2:7300\n", "seeds: expected a list of host:port client addresses (- 10.0.0.2:7300), found '10.0.0.2:7300'"),
            bad("seeds:\n  - 10.0.0.2\n", "seeds[0]: '10.0.0.2' is not a host:port address (e.g. 10.0.0.2:7300, port 1..65535)"),
            bad("seeds:\n  - h:70000\n", "seeds[0]: 'h:70000' is not a host:port address (e.g. 10.0.0.2:7300, port 1..65535)"),
            bad("memory:\n  cache: 1G\n", "memory.cache: unknown key (valid keys here: write-buffer, block-cache)"),
            bad("raft-groups: 4\nraft-groups: 8\n", "raft-groups: is set twice (lines 2 and 3; keep one)"),
            bad("[a, b]: 1\n", "expected a key name, found a list as a key"),
            // document shape
            badRoot("", "is empty (at least node-id is required; see conf/node.yaml)"),
            badRoot("# only a comment\n", "is empty (at least node-id is required; see conf/node.yaml)"),
            badRoot("- node-id: n1\n", "expected a mapping of keys (e.g. node-id: n1), found a list"),
            badRoot("n1\n", "expected a mapping of keys (e.g. node-id: n1), found 'n1'"));
    }

    private static Arguments bad(String yamlAfterNodeId, String expectedAfterSource) {
        return Arguments.of("node-id: n1\n" + yamlAfterNodeId, SOURCE + ": " + expectedAfterSource);
    }

    private static Arguments badRoot(String yaml, String expectedAfterSource) {
        return Arguments.of(yaml, SOURCE + ": " + expectedAfterSource);
    }

    @ParameterizedTest
    @MethodSource("invalidConfigs")
    void rejectsWithOneLineNamingSourceKeyAndValue(String yaml, String expectedMessage) {
        assertEquals(expectedMessage, error(yaml));
    }

    @Test
    void advertisedRaftAddressIsWhatPeersDialWhileRatisBindsTheListenAddress() {
        NodeConfig plain = ConfigLoader.parse("node-id: n1\n", SOURCE);
        assertEquals("127.0.0.1:7301", plain.listen().advertisedRaftAddress());
        NodeConfig proxied = ConfigLoader.parse(
                "node-id: n1\nlisten:\n  raft-port: 7301\n  advertise-raft-address: 127.0.0.1:17301\n", SOURCE);
        assertEquals("127.0.0.1:7301", proxied.listen().raftBindAddress());
        assertEquals("127.0.0.1:17301", proxied.listen().advertisedRaftAddress());
    }

    @Test
    void aWildcardBindAdvertisesTheAdvertiseAddressForClientsAndRaft() {
        NodeConfig c = ConfigLoader.parse("node-id: n1\nlisten:\n  address: 0.0.0.0\n  raft-port: 7301\n"
                + "  advertise-address: partita-0.partita.default.svc.cluster.local\n", SOURCE);
        assertEquals("0.0.0.0:7301", c.listen().raftBindAddress());
        assertEquals("partita-0.partita.default.svc.cluster.local", c.listen().advertisedHost());
        assertEquals("partita-0.partita.default.svc.cluster.local:7301", c.listen().advertisedRaftAddress());
        assertEquals(c, ConfigLoader.parse(ConfigWriter.toYaml(c), SOURCE), "written and read back");
        NodeConfig plain = ConfigLoader.parse("node-id: n1\n", SOURCE);
        assertEquals("127.0.0.1", plain.listen().advertisedHost());
    }

    @Test
    void errorCarriesKeyPathAndDetailSeparately() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("node-id: n1\nnamespaces:\n  - name: a\n    max-record-size: 3Q\n"));
        assertEquals("namespaces[0].max-record-size", e.keyPath());
        assertEquals("'3Q' is not a size (use e.g. 512K, 1M)", e.detail());
    }

    @Test
    void malformedYamlReportsLineAndColumn() {
        assertEquals(SOURCE + ": malformed YAML at line 3, column 17: mapping values are not allowed here",
                error("node-id: n1\nlisten:\n  client-port: 1: 2\n"));
        String unclosed = error("node-id: n1\nlisten: {client-port: 7300\n");
        assertTrue(unclosed.startsWith(SOURCE + ": malformed YAML at line 3, column 1: "), unclosed);
        String tab = error("node-id: n1\nlisten:\n\tclient-port: 7300\n");
        assertTrue(tab.startsWith(SOURCE + ": malformed YAML at line 3, column 1: "), tab);
    }

    @Test
    void moreThanOneDocumentIsMalformed() {
        String message = error("node-id: n1\n---\nnode-id: n2\n");
        assertEquals(SOURCE + ": malformed YAML at line 2, column 1: expected a single document in the stream but"
                + " found another document", message);
    }

    @Test
    void neverConstructsObjectsFromTags() {
        String gadget = "node-id: !!javax.script.ScriptEngineManager "
                + "[!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]\n";
        assertEquals(SOURCE + ": malformed YAML at line 1, column 10: Global tag is not allowed:"
                + " tag:yaml.org,2002:javax.script.ScriptEngineManager", error(gadget));
        assertEquals(SOURCE + ": listen: unsupported YAML tag 'tag:yaml.org,2002:set'"
                + " (remove the tag; only plain values, mappings and lists are allowed)",
                error("node-id: n1\nlisten: !!set {client-port}\n"));
        assertEquals(SOURCE + ": namespaces: unsupported YAML tag 'tag:yaml.org,2002:omap'"
                + " (remove the tag; only plain values, mappings and lists are allowed)",
                error("node-id: n1\nnamespaces: !!omap [name: a]\n"));
        assertEquals(SOURCE + ": listen.client-port: unsupported YAML tag '!port'"
                + " (remove the tag; only plain values, mappings and lists are allowed)",
                error("node-id: n1\nlisten:\n  client-port: !port 7300\n"));
        assertEquals(SOURCE + ": node-id: unsupported YAML tag 'tag:yaml.org,2002:binary'"
                + " (remove the tag; only plain values, mappings and lists are allowed)",
                error("node-id: !!binary bjE=\n"));
    }

    @Test
    void aliasBombIsRejectedNotExpanded() {
        StringBuilder yaml = new StringBuilder("node-id: n1\nx0: &a0 [lol, lol]\n");
        for (int i = 1; i < 30; i++) {
            yaml.append("x").append(i).append(": &a").append(i).append(" [*a").append(i - 1)
                    .append(", *a").append(i - 1).append("]\n");
        }
        String message = error(yaml.toString());
        assertTrue(message.startsWith(SOURCE + ": malformed YAML"), message);
    }

    @Test
    void missingSourceNameGetsAPlaceholder() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("raft-groups: 1", null));
        assertEquals("<config>: node-id: is required (e.g. node-id: n1)", e.getMessage());
    }

    @Test
    void loadsAFileUsingItsPathAsSource(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, "node-id: n2\nraft-groups: 3\n", StandardCharsets.UTF_8);
        assertEquals(NodeConfig.defaults("n2", Path.of("./data")).withRaftGroups(3), ConfigLoader.load(file));

        Files.writeString(file, "node-id: n2\nraft-groups: 0\n", StandardCharsets.UTF_8);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ": raft-groups: '0' is out of range (must be 1..4096; or auto)", e.getMessage());
    }

    @Test
    void missingUnreadableAndNonUtf8FilesAreOneLineErrors(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.yaml");
        assertEquals(missing + ": file not found (check the path given to --conf)",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(missing)).getMessage());

        String asDirectory = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir)).getMessage();
        assertTrue(asDirectory.startsWith(dir + ": cannot be read ("), asDirectory);
        assertFalse(asDirectory.contains("\n"));

        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'n', 'o', 'd', 'e', '-', 'i', 'd', ':', ' ', (byte) 0xE9, '\n'});
        assertEquals(latin1 + ": is not UTF-8 text (save the file as UTF-8)",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(latin1)).getMessage());
    }
}
