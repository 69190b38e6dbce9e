package io.partita.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InsertSequenceTest {

    @Test
    void startsAfterTheLoadedRecordsAndAcknowledgesOnlyAContiguousPrefix() {
        InsertSequence s = new InsertSequence(10);
        assertEquals(10, s.acknowledged());
        long a = s.next();
        long b = s.next();
        long c = s.next();
        assertEquals(10, a);
        assertEquals(12, c);
        s.completed(c);
        assertEquals(10, s.acknowledged(), "12 is done but 10 and 11 are not");
        s.completed(a);
        assertEquals(11, s.acknowledged());
        s.completed(b);
        assertEquals(13, s.acknowledged(), "10..12 all done");
        long d = s.next();
        s.completed(d);
        assertEquals(14, s.acknowledged());
    }
}
