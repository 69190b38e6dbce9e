package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
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
    void unknownArgumentsAreUsageErrors() {
        assertEquals(2, PartitaServerMain.run(new String[] {"--seed", "a:1"}));
    }
}
