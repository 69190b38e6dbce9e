package io.partita.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.partita.engine.record.StoredRecord;
import io.partita.engine.write.RecordMutator.Change;
import io.partita.engine.write.RecordMutator.Mutation;
import io.partita.protocol.ResultCode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordMutatorTest {
    private static final byte[] DIGEST = new byte[20];
    private static final long NOW = 1_800_000_000_000L;

    private static WriteOp put(ExistsAction action, Map<String, Object> bins) {
        return WriteOp.write(WriteKind.PUT, "test", "", DIGEST, action, 0, 0, false, bins, 1 << 20);
    }

    private static WriteOp op(WriteKind kind, int expectedGeneration, long voidTime, boolean keep) {
        return WriteOp.write(kind, "test", "", DIGEST,
                ExistsAction.CREATE_OR_UPDATE, expectedGeneration, voidTime, keep,
                Map.of(), 1 << 20);
    }

    private static StoredRecord record(int generation, Map<String, Object> bins) {
        return new StoredRecord(generation, 0, NOW - 1000, bins);
    }

    @Test
    void createOrUpdateCreatesAtGenerationOneAndStampsTime() {
        Mutation m = RecordMutator.mutate(null, put(ExistsAction.CREATE_OR_UPDATE, Map.of("a", 1L)), NOW);
        assertEquals(ResultCode.OK, m.outcome().code());
        assertEquals(Change.STORE, m.change());
        assertEquals(1, m.record().generation());
        assertEquals(NOW, m.record().lastUpdateMs());
        assertEquals(false, m.outcome().existed());
    }

    @Test
    void createOrUpdateMergesBinsAndBumpsGeneration() {
        Mutation m = RecordMutator.mutate(record(4, Map.of("a", 1L, "b", "x")),
                put(ExistsAction.CREATE_OR_UPDATE, Map.of("b", "y", "c", true)), NOW);
        assertEquals(5, m.record().generation());
        assertEquals(Map.of("a", 1L, "b", "y", "c", true), m.record().bins());
        assertEquals(true, m.outcome().existed());
    }

    @Test
    void replaceDropsBinsNotWritten() {
        Mutation m = RecordMutator.mutate(record(2, Map.of("a", 1L, "b", "x")),
                put(ExistsAction.REPLACE, Map.of("c", 3L)), NOW);
        assertEquals(Map.of("c", 3L), m.record().bins());
        assertEquals(3, m.record().generation());
    }

    @Test
    void updateOnlyNeedsAnExistingRecord() {
        assertEquals(ResultCode.KEY_NOT_FOUND,
                RecordMutator.mutate(null, put(ExistsAction.UPDATE_ONLY, Map.of("a", 1L)), NOW).outcome().code());
        Mutation m = RecordMutator.mutate(record(1, Map.of("a", 1L)), put(ExistsAction.UPDATE_ONLY, Map.of("b", 2L)), NOW);
        assertEquals(Map.of("a", 1L, "b", 2L), m.record().bins());
    }

    @Test
    void createOnlyRefusesAnExistingRecord() {
        Mutation m = RecordMutator.mutate(record(1, Map.of("a", 1L)), put(ExistsAction.CREATE_ONLY, Map.of("a", 2L)), NOW);
        assertEquals(ResultCode.KEY_EXISTS, m.outcome().code());
        assertEquals(Change.NONE, m.change());
    }

    @Test
    void nullBinValueRemovesTheBinAndRemovingTheLastBinDeletesTheRecord() {
        Map<String, Object> removeA = new HashMap<>();
        removeA.put("a", null);
        Mutation partial = RecordMutator.mutate(record(1, Map.of("a", 1L, "b", 2L)),
                put(ExistsAction.CREATE_OR_UPDATE, removeA), NOW);
        assertEquals(Map.of("b", 2L), partial.record().bins());
        Mutation last = RecordMutator.mutate(record(1, Map.of("a", 1L)), put(ExistsAction.CREATE_OR_UPDATE, removeA), NOW);
        assertEquals(Change.DELETE, last.change());
        assertEquals(ResultCode.OK, last.outcome().code());
        assertEquals(ResultCode.PARAMETER_ERROR,
                RecordMutator.mutate(null, put(ExistsAction.CREATE_OR_UPDATE, removeA), NOW).outcome().code());
    }

    @Test
    void expectedGenerationIsCompareAndSet() {
        StoredRecord r = record(7, Map.of("a", 1L));
        WriteOp casRight = WriteOp.write(WriteKind.PUT, "test", "", DIGEST, ExistsAction.CREATE_OR_UPDATE, 7, 0, false,
                Map.of("a", 2L), 1 << 20);
        WriteOp casWrong = WriteOp.write(WriteKind.PUT, "test", "", DIGEST, ExistsAction.CREATE_OR_UPDATE, 6, 0, false,
                Map.of("a", 2L), 1 << 20);
        assertEquals(8, RecordMutator.mutate(r, casRight, NOW).record().generation());
        assertEquals(ResultCode.GENERATION_ERROR, RecordMutator.mutate(r, casWrong, NOW).outcome().code());
        // A missing record has no generation to match: never silently created by a CAS write.
        assertEquals(ResultCode.KEY_NOT_FOUND, RecordMutator.mutate(null, casRight, NOW).outcome().code());
        assertEquals(ResultCode.GENERATION_ERROR, RecordMutator.mutate(r, op(WriteKind.DELETE, 3, 0, false), NOW)
                .outcome().code());
        assertEquals(ResultCode.GENERATION_ERROR, RecordMutator.mutate(r, op(WriteKind.TOUCH, 3, 0, false), NOW)
                .outcome().code());
    }

    @Test
    void deleteReportsWhetherTheRecordExisted() {
        Mutation hit = RecordMutator.mutate(record(1, Map.of("a", 1L)), op(WriteKind.DELETE, 0, 0, false), NOW);
        assertEquals(Change.DELETE, hit.change());
        assertEquals(true, hit.outcome().existed());
        Mutation miss = RecordMutator.mutate(null, op(WriteKind.DELETE, 0, 0, false), NOW);
        assertEquals(ResultCode.KEY_NOT_FOUND, miss.outcome().code());
        assertEquals(Change.NONE, miss.change());
    }

    @Test
    void touchKeepsBinsBumpsGenerationAndResetsExpiry() {
        StoredRecord r = new StoredRecord(3, NOW + 5_000, NOW - 10, Map.of("a", 1L));
        Mutation m = RecordMutator.mutate(r, op(WriteKind.TOUCH, 0, NOW + 60_000, false), NOW);
        assertEquals(4, m.record().generation());
        assertEquals(NOW + 60_000, m.record().voidTimeMs());
        assertEquals(Map.of("a", 1L), m.record().bins());
        assertEquals(ResultCode.KEY_NOT_FOUND, RecordMutator.mutate(null, op(WriteKind.TOUCH, 0, 0, false), NOW)
                .outcome().code());
    }

    @Test
    void keepVoidTimeKeepsAnExistingExpiryButAppliesToNewRecords() {
        StoredRecord r = new StoredRecord(1, NOW + 5_000, NOW - 10, Map.of("a", 1L));
        WriteOp keep = WriteOp.write(WriteKind.PUT, "test", "", DIGEST,
                ExistsAction.CREATE_OR_UPDATE, 0, NOW + 99_000, true,
                Map.of("b", 1L), 1 << 20);
        assertEquals(NOW + 5_000, RecordMutator.mutate(r, keep, NOW).record().voidTimeMs());
        assertEquals(NOW + 99_000, RecordMutator.mutate(null, keep, NOW).record().voidTimeMs());
    }

    @Test
    void recordTooBigIsRefusedAfterMerging() {
        Map<String, Object> bins = new LinkedHashMap<>();
        bins.put("big", "x".repeat(600));
        StoredRecord r = record(1, bins);
        WriteOp grow = WriteOp.write(WriteKind.PUT, "test", "", DIGEST, ExistsAction.CREATE_OR_UPDATE, 0, 0, false,
                Map.of("more", "y".repeat(600)), 1024);
        Mutation m = RecordMutator.mutate(r, grow, NOW);
        assertEquals(ResultCode.RECORD_TOO_BIG, m.outcome().code());
        assertEquals(Change.NONE, m.change());
        assertNull(m.record());
    }
}
