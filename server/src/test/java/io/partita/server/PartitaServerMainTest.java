package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PartitaServerMainTest {
    @TempDir
    Path dir;

    @Test
    void badSeedsOnTheCommandLineAreAConfigurationError() throws Exception {
        Path conf = dir.resolve("node.yaml");
        Files.writeString(conf, "node-id: n1\ndata-dir: " + dir.resolve("data") + "\n");
        assertEquals(2, PartitaServerMain.run(new String[] {"--conf", conf.toString(), "--seeds", "nohost"}));
        assertEquals(2, PartitaServerMain.run(new String[] {"--conf", conf.toString(), "--seeds", "h:0"}));
    }

    @Test
    @Timeout(60) // were the offset ignored, the node would start and run until stopped
    void aBadTestClockOffsetIsAConfigurationError() throws Exception {
        Path conf = dir.resolve("node.yaml");
        Files.writeString(conf, "node-id: n1\ndata-dir: " + dir.resolve("data")
                + "\nlisten: {client-port: 0, raft-port: 0, admin-port: 0}\n");
        System.setProperty(ClockOffset.PROPERTY, "30");
        try {
            assertEquals(2, PartitaServerMain.run(new String[] {"--conf", conf.toString()}));
        } finally {
            System.clearProperty(ClockOffset.PROPERTY);
        }
    }

    @Test
    void unknownArgumentsAreUsageErrors() {
        assertEquals(2, PartitaServerMain.run(new String[] {"--seed", "a:1"}));
    }
}
