package io.partita.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordCodecHeaderTest {
    @Test
    void headerReadMatchesFullDecode() {
        for (long voidTime : new long[] {0, 1, 1_800_000_000_000L, Long.MAX_VALUE, -5}) {
            StoredRecord r = new StoredRecord(7, voidTime, 1_700_000_000_000L, Map.of("a", "x".repeat(300)));
            byte[] bytes = RecordCodec.encode(r);
            assertEquals(voidTime, RecordCodec.voidTimeMs(bytes));
            assertEquals(RecordCodec.decode(bytes).voidTimeMs(), RecordCodec.voidTimeMs(bytes));
        }
    }

    @Test
    void headerReadRejectsCorruptInput() {
        assertThrows(CorruptRecordException.class, () -> RecordCodec.voidTimeMs(new byte[0]));
        assertThrows(CorruptRecordException.class, () -> RecordCodec.voidTimeMs(new byte[] {9, 1, 0}));
        assertThrows(CorruptRecordException.class, () -> RecordCodec.voidTimeMs(new byte[] {1, 1}));
    }
}
