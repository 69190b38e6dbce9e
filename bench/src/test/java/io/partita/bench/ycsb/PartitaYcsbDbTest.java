package io.partita.bench.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.time.Clock;
import io.partita.protocol.testing.TestPorts;
import io.partita.server.Node;
import io.partita.server.config.NodeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import site.ycsb.ByteIterator;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/** The YCSB binding against a real in-process node: through the DB interface, and through site.ycsb.Client. */
class PartitaYcsbDbTest {

    @TempDir
    static Path dir;
    private static Node node;

    @BeforeAll
    static void startNode() throws Exception {
        int raftPort;
        raftPort = TestPorts.free();
        node = Node.start(NodeConfig.defaults("n1", dir.resolve("node")).withPorts(0, raftPort, 0), Clock.SYSTEM);
        assertTrue(node.awaitReady(Duration.ofSeconds(30)), "node not ready");
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private static PartitaYcsbDb db(String hosts) throws DBException {
        PartitaYcsbDb db = new PartitaYcsbDb();
        Properties p = new Properties();
        p.setProperty(PartitaYcsbDb.HOSTS, hosts);
        db.setProperties(p);
        db.init();
        return db;
    }

    @Test
    @Timeout(60)
    void insertReadUpdateDeleteThroughTheDbInterface() throws Exception {
        PartitaYcsbDb db = db(node.clientAddress());
        PartitaYcsbDb other = db(node.clientAddress()); // a second YCSB thread: same shared client
        try {
            assertEquals(Status.NOT_FOUND, db.update("usertable", "user1", StringByteIterator.getByteIteratorMap(
                Map.of("field0", "x"))), "update means: of an existing record");
            assertEquals(Status.OK, db.insert("usertable", "user1", StringByteIterator.getByteIteratorMap(
                Map.of("field0", "a", "field1", "b"))));
            assertEquals(Status.OK, other.update("usertable", "user1", StringByteIterator.getByteIteratorMap(
                Map.of("field1", "c"))));
            Map<String, ByteIterator> all = new HashMap<>();
            assertEquals(Status.OK, db.read("usertable", "user1", null, all));
            assertEquals(Map.of("field0", "a", "field1", "c"), StringByteIterator.getStringMap(all));
            Map<String, ByteIterator> one = new HashMap<>();
            assertEquals(Status.OK, other.read("usertable", "user1", Set.of("field1"), one));
            assertEquals(Map.of("field1", "c"), StringByteIterator.getStringMap(one));
            assertEquals(Status.NOT_IMPLEMENTED, db.scan("usertable", "user1", 10, null, new Vector<>()));
            assertEquals(Status.OK, db.delete("usertable", "user1"));
            assertEquals(Status.NOT_FOUND, db.read("usertable", "user1", null, new HashMap<>()));
        } finally {
            db.cleanup();
            other.cleanup();
        }
    }

    @Test
    @Timeout(60)
    void anUnreachableClusterFailsInitWithAClearMessage() throws Exception {
        int port;
        port = TestPorts.free();
        String hosts = "127.0.0.1:" + port;
        DBException e = assertThrows(DBException.class, () -> db(hosts));
        assertTrue(e.getMessage().startsWith("cannot reach the Partita cluster at " + hosts), e.getMessage());
    }

    /** The exact command of bench/README.md, with this JVM's classpath, small counts and the test node. */
    @Test
    @Timeout(120)
    void theStandardYcsbClientLoadsAndRunsWorkloadA() throws Exception {
        Path workload = Path.of(System.getProperty("basedir", ".")).resolve("ycsb/workloada");
        String load = ycsb("-load", workload);
        assertTrue(load.contains("[INSERT], Operations, 200"), load);
        assertTrue(load.contains("[INSERT], Return=OK, 200"), load);
        String run = ycsb("-t", workload);
        assertTrue(run.contains("[READ], Return=OK"), run);
        assertTrue(run.contains("[UPDATE], Return=OK"), run);
        assertTrue(!run.contains("Return=NOT_FOUND") && !run.contains("Return=ERROR"), run);
    }

    private static String ycsb(String phase, Path workload) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "site.ycsb.Client", phase, "-db",
            PartitaYcsbDb.class.getName(), "-P", workload.toString(), "-p", "recordcount=200", "-p",
            "operationcount=400", "-p", PartitaYcsbDb.HOSTS + "=" + node.clientAddress(), "-threads", "4"));
        Path out = Files.createTempFile(dir, "ycsb", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("site.ycsb.Client " + phase + " did not finish:\n" + Files.readString(out));
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text;
    }
}
