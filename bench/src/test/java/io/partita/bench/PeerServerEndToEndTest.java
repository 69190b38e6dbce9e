package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator against a real single-server peer (Redis, memcached) started by its bench/*.sh script, as
 * {@link EtcdEndToEndTest} does for etcd. Skipped when the server binary is not installed (the scripts would install
 * it; the tests do not).
 */
abstract class PeerServerEndToEndTest {

    @TempDir
    Path dir;
    protected Path serverDir;
    protected String endpoint;

    /** The script, e.g. {@code redis-server.sh}. */
    abstract ServerScript script();

    /** The binary the script needs and the environment variable that overrides it. */
    abstract String binary();

    abstract String binaryOverride();

    /** The {@code --target} name. */
    abstract String target();

    @BeforeEach
    void startServer() throws Exception {
        Assumptions.assumeTrue(ServerScript.installed(binary(), binaryOverride()),
            "no " + binary() + " on this machine: " + target() + " end-to-end test skipped");
        serverDir = dir.resolve(target());
        ServerScript.Result start = script().run(dir, "start", serverDir.toString());
        assertEquals(0, start.code(), start.output());
        endpoint = start.stdout().strip();
        assertTrue(endpoint.matches("127\\.0\\.0\\.1:\\d+"), start.output());
    }

    @AfterEach
    void stopServer() throws Exception {
        if (endpoint != null) {
            ServerScript.Result stop = script().run(dir, "stop", serverDir.toString());
            assertEquals(0, stop.code(), stop.output());
            assertFalse(Files.exists(serverDir.resolve("data")), "data left after stop");
            assertNotEquals(0, script().run(dir, "status", serverDir.toString()).code(), "status after stop");
        }
    }

    @Test
    @Timeout(120)
    void loadsThenRunsMixedWorkloadWithoutErrors() throws Exception {
        Path json = dir.resolve("report.json");
        GeneratorRun run = GeneratorRun.of("--target", target(), "--hosts", endpoint, "--threads", "4", "--records",
            "1000", "--value-size", "100", "--load", "--read-percent", "50", "--duration", "2s", "--warmup", "1s",
            "--progress-interval", "1s", "--seed", "42", "--json", json.toString());
        System.out.println(run.err() + run.out()); // kept in target/surefire-reports as a sample
        run.assertCleanLoadedRun(json, 1000);
        assertTrue(run.out().contains("  target         " + target() + "\n"), run.out());
    }

    @Test
    @Timeout(60)
    void workloadEFailsFastBecauseTheDriverCannotScan() {
        GeneratorRun run = GeneratorRun.of("--target", target(), "--hosts", endpoint, "--workload", "E");
        assertEquals(2, run.code(), run.err());
        assertEquals("partita bench: the " + target() + " driver cannot scan, so a mix with scans (workload E) "
            + "cannot run against it (see --help)\n", run.err());
    }

    @Test
    @Timeout(60)
    void startIsIdempotentAndStatusSaysHealthy() throws Exception {
        ServerScript.Result again = script().run(dir, "start", serverDir.toString());
        assertEquals(0, again.code(), again.output());
        assertEquals(endpoint, again.stdout().strip(), "a second start reports the running server");
        ServerScript.Result status = script().run(dir, "status", serverDir.toString());
        assertEquals(0, status.code(), status.output());
        assertTrue(status.stdout().strip().endsWith(endpoint + " healthy"), status.output());
    }
}
