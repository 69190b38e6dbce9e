package io.partita.snapshot.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A fake source cluster for tests: per group, the live records keyed by namespace/digest. */
final class SourceState {
    record Rec(String namespace, String set, byte[] digest, byte[] body) {
    }

    final int groups;
    private final List<Map<String, Rec>> byGroup = new ArrayList<>();

    SourceState(int groups) {
        this.groups = groups;
        for (int g = 0; g < groups; g++) {
            byGroup.add(new TreeMap<>());
        }
    }

    /** A 20-byte digest like the server's (SHA-1 here: any well-spread 20 bytes will do). */
    static byte[] digest(String namespace, String set, int key) {
        try {
            return MessageDigest.getInstance("SHA-1").digest((namespace + "/" + set + "/" + key)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    int groupOf(byte[] digest) {
        return Math.floorMod(digest[19], groups);
    }

    /** Creates or replaces a record with a fresh body of {@code size} bytes; returns its digest. */
    byte[] put(String namespace, String set, int key, int size) {
        byte[] digest = digest(namespace, set, key);
        Rec previous = byGroup.get(groupOf(digest)).get(key(namespace, digest));
        byte[] body = new byte[size];
        // Half random, half repetitive, so LZ4 has something to do; a new version differs from the previous one.
        new Random(Arrays.hashCode(digest) * 31L + (previous == null ? 0 : Arrays.hashCode(previous.body())))
                .nextBytes(body);
        for (int i = size / 2; i < size; i++) {
            body[i] = (byte) (i % 7);
        }
        byGroup.get(groupOf(digest)).put(key(namespace, digest), new Rec(namespace, set, digest, body));
        return digest;
    }

    void delete(String namespace, String set, int key) {
        byte[] digest = digest(namespace, set, key);
        if (byGroup.get(groupOf(digest)).remove(key(namespace, digest)) == null) {
            throw new IllegalArgumentException("no such record");
        }
    }

    long size() {
        return byGroup.stream().mapToLong(Map::size).sum();
    }

    /** Writes one backup of the whole state, groups in parallel, and commits it. */
    BackupManifest backup(Path dir, BackupSpec spec) throws Exception {
        BackupWriter writer = BackupWriter.open(dir, spec);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<GroupSummary>> done = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                if (!writer.completedGroups().contains(g)) {
                    int group = g;
                    done.add(pool.submit(() -> writeGroup(writer, group, group + 1)));
                }
            }
            for (Future<GroupSummary> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return writer.commit();
    }

    GroupSummary writeGroup(BackupWriter writer, int group, long index) throws IOException {
        try (GroupSink sink = writer.openGroup(group, 1, index)) {
            for (Rec r : byGroup.get(group).values()) {
                sink.put(r.namespace(), r.set(), r.digest(), r.body());
            }
            return sink.finish();
        }
    }

    /** Puts half of the group's records and abandons the sink, as a crash would. */
    void writeHalfGroup(BackupWriter writer, int group) throws IOException {
        GroupSink sink = writer.openGroup(group, 1, 1);
        int n = 0;
        for (Rec r : byGroup.get(group).values()) {
            if (n++ % 2 == 0) {
                sink.put(r.namespace(), r.set(), r.digest(), r.body());
            }
        }
    }

    /** Asserts that the chain's final state is exactly this state (each record once, same set and body). */
    void assertFinalStateOf(BackupChain chain) throws IOException {
        Map<String, String> expected = new TreeMap<>();
        byGroup.forEach(m -> m.forEach((k, r) -> expected.put(k, describe(r))));
        Map<String, String> actual = new TreeMap<>();
        chain.forEachFinalRecord((namespace, set, digest, record) -> {
            String previous = actual.put(key(namespace, digest), describe(new Rec(namespace, set, digest, record)));
            assertEquals(null, previous, "record emitted twice: " + key(namespace, digest));
        });
        assertEquals(expected, actual);
        assertEquals(size(), chain.finalRecordCount());
    }

    private static String key(String namespace, byte[] digest) {
        return namespace + "/" + HexFormat.of().formatHex(digest);
    }

    private static String describe(Rec r) {
        return r.set() + ":" + r.body().length + ":" + Arrays.hashCode(r.body());
    }
}
