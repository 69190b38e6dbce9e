package io.partita.snapshot.backup.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DigestTableTest {

    @Test
    void sortsDigestsAddedInAnyOrderAndFindsEachWithItsHash() {
        Random random = new Random(7);
        byte[][] digests = new byte[5000][20];
        DigestTable table = new DigestTable();
        for (int i = 0; i < digests.length; i++) {
            random.nextBytes(digests[i]);
            table.add(digests[i], 0, i);
        }
        table.sort();
        assertTrue(table.isStrictlySorted());
        for (int i = 0; i < digests.length; i++) {
            int at = table.find(digests[i], 0);
            assertTrue(at >= 0, "digest " + i + " found");
            assertEquals(i, table.hash(at));
        }
        byte[][] sorted = digests.clone();
        Arrays.sort(sorted, Arrays::compareUnsigned);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(0, Arrays.compareUnsigned(sorted[i], Arrays.copyOfRange(table.digestArray(),
                    table.digestOffset(i), table.digestOffset(i) + 20)), "position " + i);
        }
        assertEquals(-1, table.find(new byte[20], 0));
    }

    @Test
    void aDuplicateDigestIsRefused() {
        DigestTable table = new DigestTable();
        byte[] d = new byte[20];
        d[3] = 9;
        table.add(d, 0, 1);
        table.add(new byte[20], 0, 2);
        table.add(d, 0, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, table::sort);
        assertTrue(e.getMessage().contains("put twice"), e.getMessage());
    }
}
