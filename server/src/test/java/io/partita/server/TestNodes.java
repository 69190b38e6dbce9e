package io.partita.server;

import io.partita.engine.time.Clock;
import io.partita.protocol.testing.TestPorts;
import io.partita.server.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Starts real nodes for tests: loopback, ports picked at runtime, fast elections. */
final class TestNodes {
    private TestNodes() {
    }

    /** A single-node config under {@code dataDir} with free ports and sub-second elections. */
    static NodeConfig config(Path dataDir) throws IOException {
        NodeConfig base = NodeConfig.defaults("n1", dataDir);
        return base.withPorts(TestPorts.free(), TestPorts.free(), TestPorts.free())
                .withRaft(base.raft().withElectionTimeouts(Duration.ofMillis(300), Duration.ofMillis(600)));
    }

    static Node startReady(NodeConfig config, Clock clock) throws Exception {
        Node node = Node.start(config, clock);
        if (!node.awaitReady(Duration.ofSeconds(30))) {
            node.close();
            throw new IllegalStateException("node did not elect leaders for all groups within 30 s");
        }
        return node;
    }
}
