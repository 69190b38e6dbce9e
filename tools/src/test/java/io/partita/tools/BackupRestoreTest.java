package io.partita.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.client.ClientConfig;
import io.partita.client.Key;
import io.partita.client.PartitaClient;
import io.partita.client.Record;
import io.partita.client.WritePolicy;
import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import io.partita.snapshot.backup.BackupChain;
import io.partita.snapshot.backup.BackupManifest;
import io.partita.tools.CliRunner.Result;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code partita backup} and {@code restore} end to end on real in-process clusters: a backup taken while clients
 * write is consistent per group, and restores into a cluster with another node and group count exactly.
 */
@Timeout(900)
class BackupRestoreTest {
    private static final String NS = "test";
    private static final int SOURCE_GROUPS = 8;

    @TempDir
    Path root;

    /** Every key the test wrote, by digest, so that backup entries (digests only) can be read back by key. */
    private final Map<ByteBuffer, Key> keys = new ConcurrentHashMap<>();

    @Test
    void aBackupUnderConcurrentWritesRestoresIntoAnotherLayoutExactlyAsOfEachGroupsIndex() throws Exception {
        Path backup = root.resolve("backup-full");
        Map<String, List<Key>> byWriter = new ConcurrentHashMap<>();
        Map<String, Integer> ackedBeforeBackup = new HashMap<>();
        long ttlWritten;
        try (InProcessCluster source = InProcessCluster.start(root.resolve("source"), 3, 3, SOURCE_GROUPS);
             PartitaClient client = connect(source)) {
            for (int i = 0; i < 600; i++) {
                client.put(key(i % 2 == 0 ? "a" : "b", "seed-" + i), Map.of("v", (long) i, "s", "x".repeat(i % 50)));
            }
            WritePolicy shortTtl = WritePolicy.builder().ttlSeconds(3).build();
            ttlWritten = System.currentTimeMillis();
            for (int i = 0; i < 40; i++) {
                client.put(shortTtl, key("a", "ttl-" + i), Map.of("v", (long) i));
            }
            // Each writer writes its keys one after another, each acknowledged before the next: in any state at one
            // Raft index, the keys of one writer within one group form a prefix of that writer's sequence.
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            Map<String, Integer> acked = new ConcurrentHashMap<>();
            for (int w = 0; w < 2; w++) {
                String name = "w" + w;
                List<Key> sequence = new ArrayList<>();
                byWriter.put(name, sequence);
                Thread t = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        Key k = key("b", name + "-" + i);
                        synchronized (sequence) {
                            sequence.add(k);
                        }
                        client.put(k, Map.of("v", (long) i));
                        acked.put(name, i + 1);
                    }
                }, "writer-" + w);
                writers.add(t);
                t.start();
            }
            Thread.sleep(500);
            ackedBeforeBackup.putAll(acked);
            Result r = CliRunner.run("backup", "--hosts", source.addresses().get(0), "--to", backup.toString(),
                    "--parallel", "1");
            Thread.sleep(300);
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.out().startsWith("Full backup of cluster "), r.toString());
        }
        Thread.sleep(Math.max(0, ttlWritten + 3_100 - System.currentTimeMillis())); // they expire "in the backup"

        BackupChain chain = BackupChain.open(backup);
        BackupManifest manifest = chain.latest();
        assertEquals(SOURCE_GROUPS, manifest.sourceGroupCount());
        Map<ByteBuffer, byte[]> backedUp = new HashMap<>();
        chain.forEachFinalRecord((ns, set, digest, record) -> backedUp.put(ByteBuffer.wrap(digest), record));
        assertEquals(manifest.recordsLive(), backedUp.size());

        // Consistent at one index per group: a prefix per writer and group, and everything acknowledged before the
        // backup started is there.
        for (Map.Entry<String, List<Key>> e : byWriter.entrySet()) {
            Map<Integer, Boolean> gapSeen = new HashMap<>();
            List<Key> sequence = e.getValue();
            for (int i = 0; i < sequence.size(); i++) {
                Key k = sequence.get(i);
                int group = k.partitionId() % SOURCE_GROUPS;
                boolean present = backedUp.containsKey(ByteBuffer.wrap(k.digest()));
                if (i < ackedBeforeBackup.getOrDefault(e.getKey(), 0)) {
                    assertTrue(present, k + " was acknowledged before the backup started but is not in it");
                }
                if (!present) {
                    gapSeen.put(group, true);
                } else {
                    assertNull(gapSeen.get(group), k + " is in the backup of group " + group + " but an earlier "
                            + "write of the same writer to that group is not: the group was not read at one index");
                }
            }
        }

        try (InProcessCluster target = InProcessCluster.start(root.resolve("target"), 2, 2, 5);
             PartitaClient client = connect(target)) {
            Result r = CliRunner.run("restore", "--hosts", target.hosts(), "--from", backup.toString(),
                    "--policy", "replace");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.out().contains("Path: replicated write path"), r.toString());
            long expiredInBackup = backedUp.values().stream().filter(b -> RecordCodec.voidTimeMs(b) != 0).count();
            assertEquals(40, expiredInBackup, "the backup ran within the 3 s TTL, so it holds every TTL record");
            assertTrue(r.out().contains("skipped (expired) 40;"), r.toString());
            int restored = 0;
            for (Map.Entry<ByteBuffer, byte[]> e : backedUp.entrySet()) {
                Key k = keys.get(e.getKey());
                assertNotNull(k, "the backup holds a record the test never wrote");
                StoredRecord expected = RecordCodec.decode(e.getValue());
                Record got = client.get(k);
                if (expected.voidTimeMs() != 0 && expected.voidTimeMs() <= System.currentTimeMillis()) {
                    assertNull(got, k + " expired in the backup but was restored");
                    continue;
                }
                assertSame(expected, got, k);
                restored++;
            }
            // Nothing else: keys the test wrote that are not in the backup are absent from the target.
            for (Map.Entry<ByteBuffer, Key> e : keys.entrySet()) {
                if (!backedUp.containsKey(e.getKey())) {
                    assertNull(client.get(e.getValue()), e.getValue() + " is not in the backup but was restored");
                }
            }
            assertEquals(backedUp.size() - 40, restored);
        }
    }

    @Test
    void anIncrementalChainRestoresTheLatestStateAndDamageIsRefusedNamingTheFile() throws Exception {
        Path full = root.resolve("full");
        Path inc1 = root.resolve("inc1");
        Path inc2 = root.resolve("inc2");
        List<Key> all = new ArrayList<>();
        try (InProcessCluster source = InProcessCluster.start(root.resolve("source"), 1, 1, 4);
             PartitaClient client = connect(source)) {
            for (int i = 0; i < 300; i++) {
                Key k = key(i % 3 == 0 ? "a" : "b", "k-" + i);
                all.add(k);
                client.put(k, Map.of("v", (long) i));
            }
            assertEquals(0, CliRunner.run("backup", "--hosts", source.hosts(), "--to", full.toString()).exitCode());
            for (int i = 0; i < 100; i++) {
                client.put(all.get(i), Map.of("v", -1L, "u", "updated")); // generation 2
                assertTrue(client.delete(all.get(100 + i)));
                Key k = key("a", "new-" + i);
                all.add(k);
                client.put(k, Map.of("v", (long) i));
            }
            Result r1 = CliRunner.run("backup", "--hosts", source.hosts(), "--to", inc1.toString(), "--since",
                    full.toString());
            assertEquals(0, r1.exitCode(), r1.toString());
            assertTrue(r1.out().contains("records stored 200, deletions 100"), r1.toString());
            for (int i = 0; i < 50; i++) {
                client.put(all.get(i), Map.of("v", -2L)); // generation 3
                client.put(all.get(100 + i), Map.of("v", 7L)); // re-created after its deletion
                assertTrue(client.delete(all.get(300 + i)));
            }
            Result r2 = CliRunner.run("backup", "--hosts", source.hosts(), "--to", inc2.toString(), "--since",
                    inc1.toString());
            assertEquals(0, r2.exitCode(), r2.toString());
            Result verified = CliRunner.run("backup", "verify", inc2.toString());
            assertEquals(0, verified.exitCode(), verified.toString());
            assertTrue(verified.out().contains("a chain of a full backup and 2 incremental(s)"), verified.toString());

            long liveInSetA = all.stream().filter(k -> k.set().equals("a") && client.get(k) != null).count();
            Result onlyA = CliRunner.run("backup", "--hosts", source.hosts(), "--to", root.resolve("set-a").toString(),
                    "--set", "a", "--parallel", "1");
            assertEquals(0, onlyA.exitCode(), onlyA.toString());
            assertTrue(onlyA.out().contains("records stored " + liveInSetA + ","), liveInSetA + " " + onlyA);

            try (InProcessCluster target = InProcessCluster.start(root.resolve("target"), 1, 1, 3);
                 PartitaClient restored = connect(target)) {
                Result r = CliRunner.run("restore", "--hosts", target.hosts(), "--from", inc2.toString());
                assertEquals(0, r.exitCode(), r.toString());
                for (Key k : all) {
                    Record want = client.get(k);
                    Record got = restored.get(k);
                    if (want == null) {
                        assertNull(got, k + " was deleted in the source but restored");
                    } else {
                        assertNotNull(got, k + " is missing from the restored cluster");
                        assertEquals(want.generation(), got.generation(), k.toString());
                        assertEquals(want.lastUpdateMs(), got.lastUpdateMs(), k.toString());
                        assertEquals(want.voidTimeMs(), got.voidTimeMs(), k.toString());
                        assertEquals(want.bins(), got.bins(), k.toString());
                    }
                }
            }
        }

        // A flipped byte in the full backup's data: verify names the file; restore refuses before writing.
        Path data;
        try (var files = Files.list(full.resolve("groups"))) {
            data = files.filter(p -> p.toString().endsWith(".dat")).sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(data, bytes);
        Result bad = CliRunner.run("backup", "verify", inc2.toString());
        assertEquals(1, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains(data.getFileName().toString()), bad.toString());
        Result refused = CliRunner.run("restore", "--hosts", "127.0.0.1:1", "--from", inc2.toString());
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains(data.getFileName().toString()) && refused.err().contains("Nothing was "
                + "restored"), refused.toString());

        // A missing index file, and a directory without a manifest (an interrupted backup).
        Path index;
        try (var files = Files.list(inc1.resolve("groups"))) {
            index = files.filter(p -> p.toString().endsWith(".idx")).sorted().findFirst().orElseThrow();
        }
        Files.delete(index);
        Result missing = CliRunner.run("backup", "verify", inc1.toString());
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains(index.getFileName().toString()), missing.toString());
        Files.delete(inc2.resolve("manifest.json"));
        Result incomplete = CliRunner.run("restore", "--hosts", "127.0.0.1:1", "--from", inc2.toString());
        assertEquals(1, incomplete.exitCode(), incomplete.toString());
    }

    @Test
    void aBackupThatCannotReadEveryGroupFailsClearlyAndResumesLater() throws Exception {
        Path dir = root.resolve("interrupted");
        try (InProcessCluster source = InProcessCluster.start(root.resolve("source"), 2, 1, 4);
             PartitaClient client = connect(source)) {
            for (int i = 0; i < 200; i++) {
                client.put(key("a", "r-" + i), Map.of("v", (long) i));
            }
            // One copy per group: the groups placed on the stopped node have no replica to read from.
            source.stop(1);
            Result failed = CliRunner.run("backup", "--hosts", source.addresses().get(0), "--to", dir.toString(),
                    "--timeout", "2s");
            assertEquals(4, failed.exitCode(), failed.toString());
            assertTrue(failed.err().contains("is incomplete (2 of 4 groups failed")
                    && failed.err().contains("Run the same command again to resume"), failed.toString());
            Result refused = CliRunner.run("restore", "--hosts", "127.0.0.1:1", "--from", dir.toString());
            assertEquals(1, refused.exitCode(), "an unfinished backup is never restorable: " + refused);

            source.restart(1);
            source.awaitHealthy(Duration.ofSeconds(60));
            Result resumed = CliRunner.run("backup", "--hosts", source.hosts(), "--to", dir.toString());
            assertEquals(0, resumed.exitCode(), resumed.toString());
            assertTrue(resumed.err().contains("Resuming the backup in " + dir + ": 2 of 4 groups are already done"),
                    resumed.toString());
            assertEquals(200, BackupChain.open(dir).finalRecordCount());
        }
    }

    private Key key(String set, String userKey) {
        Key k = new Key(NS, set, userKey);
        keys.put(ByteBuffer.wrap(k.digest()), k);
        return k;
    }

    private static void assertSame(StoredRecord expected, Record got, Key k) {
        assertNotNull(got, k + " is in the backup but missing from the restored cluster");
        assertEquals(expected.generation(), got.generation(), k + " generation");
        assertEquals(expected.voidTimeMs(), got.voidTimeMs(), k + " void time");
        assertEquals(expected.lastUpdateMs(), got.lastUpdateMs(), k + " last-update time");
        assertEquals(expected.bins(), got.bins(), k + " bins");
    }

    private static PartitaClient connect(InProcessCluster c) {
        return PartitaClient.connect(ClientConfig.builder().seeds(c.addresses()).build());
    }
}
