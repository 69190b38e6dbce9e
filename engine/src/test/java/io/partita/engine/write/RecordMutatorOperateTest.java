package io.partita.engine.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.operate.Operation;
import io.partita.engine.record.StoredRecord;
import io.partita.engine.write.RecordMutator.Change;
import io.partita.engine.write.RecordMutator.Mutation;
import io.partita.protocol.OpCode;
import io.partita.protocol.ResultCode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** operate(): the record-level policy of a call and the record and bin operations, as a pure function. */
class RecordMutatorOperateTest {
    private static final byte[] DIGEST = new byte[20];
    private static final long NOW = 1_800_000_000_000L;
    private static final long VOID = NOW + 60_000;

    private static WriteOp operate(ExistsAction action, int expectedGeneration, Operation... ops) {
        return WriteOp.operate("test", "s", DIGEST, action, expectedGeneration, VOID, false, List.of(ops), 1 << 20);
    }

    private static WriteOp operate(Operation... ops) {
        return operate(ExistsAction.CREATE_OR_UPDATE, 0, ops);
    }

    private static StoredRecord record(int generation, Map<String, Object> bins) {
        return new StoredRecord("s", generation, 0, NOW - 1000, bins);
    }

    private static Operation op(OpCode code, String bin, Object... args) {
        return Operation.of(code, bin, args);
    }

    private static List<Object> results(Mutation m) {
        return m.outcome().operated().results();
    }

    @Test
    void writesAndReadsRunInOrderAndSeeEachOther() {
        Mutation m = RecordMutator.mutate(record(3, Map.of("n", 10L, "s", "ab")), operate(
                op(OpCode.READ, "n"),
                op(OpCode.ADD, "n", 5L),
                op(OpCode.READ, "n"),
                op(OpCode.APPEND, "s", "cd"),
                op(OpCode.PREPEND, "s", ">"),
                op(OpCode.WRITE, "new", 1.5),
                op(OpCode.READ, "")), NOW);
        assertEquals(ResultCode.OK, m.outcome().code());
        assertEquals(Change.STORE, m.change());
        assertEquals(4, m.outcome().generation(), "one generation increment for the whole call");
        assertEquals(Map.of("n", 15L, "s", ">abcd", "new", 1.5), m.record().bins());
        assertEquals(Arrays.asList(10L, null, 15L, null, null, null, Map.of("n", 15L, "s", ">abcd", "new", 1.5)),
                results(m));
        assertEquals(VOID, m.outcome().operated().voidTimeMs());
        assertEquals(NOW, m.record().lastUpdateMs());
    }

    @Test
    void readOnlyCallChangesNothingAndNeedsTheRecord() {
        StoredRecord live = record(7, Map.of("a", "x"));
        Mutation m = RecordMutator.mutate(live, operate(op(OpCode.READ, "a"), op(OpCode.READ_HEADER, "")), NOW);
        assertEquals(Change.NONE, m.change());
        assertEquals(7, m.outcome().generation());
        assertEquals(Arrays.asList("x", null), results(m));

        Mutation missing = RecordMutator.mutate(null, operate(op(OpCode.READ, "a")), NOW);
        assertEquals(ResultCode.KEY_NOT_FOUND, missing.outcome().code());
        assertEquals(Change.NONE, missing.change());
    }

    @Test
    void aWriteCreatesAMissingRecordUnlessUpdateOnly() {
        Mutation created = RecordMutator.mutate(null, operate(op(OpCode.ADD, "n", 2L), op(OpCode.READ, "n")), NOW);
        assertEquals(ResultCode.OK, created.outcome().code());
        assertEquals(1, created.record().generation());
        assertEquals("s", created.record().set());
        assertEquals(Arrays.asList(null, 2L), results(created));

        Mutation refused = RecordMutator.mutate(null, operate(ExistsAction.UPDATE_ONLY, 0,
                op(OpCode.ADD, "n", 2L)), NOW);
        assertEquals(ResultCode.KEY_NOT_FOUND, refused.outcome().code());
        assertEquals(Change.NONE, refused.change());

        Mutation exists = RecordMutator.mutate(record(1, Map.of("n", 1L)), operate(ExistsAction.CREATE_ONLY, 0,
                op(OpCode.ADD, "n", 2L)), NOW);
        assertEquals(ResultCode.KEY_EXISTS, exists.outcome().code());
    }

    @Test
    void replaceStartsFromNoBins() {
        Mutation m = RecordMutator.mutate(record(2, Map.of("a", 1L, "b", 2L)), operate(ExistsAction.REPLACE, 0,
                op(OpCode.READ, "a"), op(OpCode.WRITE, "c", 3L)), NOW);
        assertEquals(Map.of("c", 3L), m.record().bins());
        assertEquals(Arrays.asList(null, null), results(m), "the call's reads see the replaced record");
    }

    @Test
    void expectedGenerationIsCheckedForTheWholeCall() {
        StoredRecord live = record(5, Map.of("n", 1L));
        assertEquals(ResultCode.GENERATION_ERROR, RecordMutator.mutate(live, operate(ExistsAction.CREATE_OR_UPDATE, 4,
                op(OpCode.ADD, "n", 1L)), NOW).outcome().code());
        Mutation ok = RecordMutator.mutate(live, operate(ExistsAction.CREATE_OR_UPDATE, 5, op(OpCode.ADD, "n", 1L)),
                NOW);
        assertEquals(6, ok.record().generation());
    }

    @Test
    void aFailingOperationFailsTheWholeCallWithItsCodeAndMessage() {
        StoredRecord live = record(1, Map.of("n", 1L, "s", "x"));
        Mutation m = RecordMutator.mutate(live, operate(op(OpCode.WRITE, "other", 9L), op(OpCode.ADD, "s", 1L)),
                NOW);
        assertEquals(ResultCode.BIN_TYPE_ERROR, m.outcome().code());
        assertEquals(Change.NONE, m.change());
        assertTrue(m.outcome().operated().error().contains("bin 's' holds a string"), m.outcome().operated().error());
        assertEquals(List.of(), m.outcome().operated().results());

        assertEquals(ResultCode.BIN_TYPE_ERROR, RecordMutator.mutate(live, operate(op(OpCode.ADD, "n", 1.5)), NOW)
                .outcome().code(), "an integer bin does not take a double");
        assertEquals(ResultCode.BIN_TYPE_ERROR, RecordMutator.mutate(live, operate(op(OpCode.APPEND, "n", "a")), NOW)
                .outcome().code());
        assertEquals(ResultCode.PARAMETER_ERROR, RecordMutator.mutate(live, operate(op(OpCode.ADD, "n", "a")), NOW)
                .outcome().code(), "ADD takes a number");
        assertEquals(ResultCode.PARAMETER_ERROR, RecordMutator.mutate(live, operate(op(OpCode.WRITE, "n")), NOW)
                .outcome().code(), "WRITE takes one argument");
        assertEquals(ResultCode.BIN_TYPE_ERROR, RecordMutator.mutate(live, operate(op(OpCode.LIST_SIZE, "s")), NOW)
                .outcome().code(), "a list operation on a string bin");
        assertEquals(ResultCode.BIN_TYPE_ERROR, RecordMutator.mutate(live, operate(op(OpCode.MAP_SIZE, "n")), NOW)
                .outcome().code(), "a map operation on an integer bin");
        assertEquals(ResultCode.BIN_TYPE_ERROR, RecordMutator.mutate(record(1, Map.of("l", List.of(1L))),
                operate(op(OpCode.MAP_PUT, "l", "k", 1L, 0L)), NOW).outcome().code(), "a map operation on a list bin");
    }

    @Test
    void bytesAppendAndPrepend() {
        Mutation m = RecordMutator.mutate(record(1, Map.of("b", new byte[] {2})), operate(
                op(OpCode.APPEND, "b", new byte[] {3}), op(OpCode.PREPEND, "b", new byte[] {1}),
                op(OpCode.READ, "b")), NOW);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) results(m).get(2));
    }

    @Test
    void addWrapsLikeAerospikeAndAddsDoubles() {
        Mutation m = RecordMutator.mutate(record(1, Map.of("n", Long.MAX_VALUE, "d", 0.5)), operate(
                op(OpCode.ADD, "n", 1L), op(OpCode.ADD, "d", 0.25)), NOW);
        assertEquals(Long.MIN_VALUE, m.record().bins().get("n"));
        assertEquals(0.75, m.record().bins().get("d"));
    }

    @Test
    void removingEveryBinOrDeletingRemovesTheRecord() {
        StoredRecord live = record(1, Map.of("a", 1L));
        Mutation removed = RecordMutator.mutate(live, operate(op(OpCode.WRITE, "a", (Object) null)), NOW);
        assertEquals(Change.DELETE, removed.change());
        assertEquals(ResultCode.OK, removed.outcome().code());

        Mutation deleted = RecordMutator.mutate(live, operate(op(OpCode.READ, "a"), op(OpCode.DELETE, ""),
                op(OpCode.READ, "")), NOW);
        assertEquals(Change.DELETE, deleted.change());
        assertEquals(Arrays.asList(1L, null, null), results(deleted));
    }

    @Test
    void deleteThenWriteMakesAFreshRecord() {
        Mutation m = RecordMutator.mutate(record(4, Map.of("a", 1L, "b", 2L)), operate(op(OpCode.DELETE, ""),
                op(OpCode.WRITE, "c", 3L)), NOW);
        assertEquals(Change.STORE, m.change());
        assertEquals(Map.of("c", 3L), m.record().bins());
        assertEquals(5, m.record().generation());
    }

    @Test
    void touchAndDeleteNeedARecord() {
        assertEquals(ResultCode.KEY_NOT_FOUND, RecordMutator.mutate(null, operate(op(OpCode.TOUCH, "")), NOW)
                .outcome().code());
        assertEquals(ResultCode.KEY_NOT_FOUND, RecordMutator.mutate(null, operate(op(OpCode.DELETE, "")), NOW)
                .outcome().code());
        Mutation touched = RecordMutator.mutate(record(2, Map.of("a", 1L)), operate(op(OpCode.TOUCH, "")), NOW);
        assertEquals(Change.STORE, touched.change());
        assertEquals(3, touched.record().generation());
        assertEquals(VOID, touched.record().voidTimeMs());
    }

    @Test
    void tooBigIsRefused() {
        WriteOp big = WriteOp.operate("test", "s", DIGEST, ExistsAction.CREATE_OR_UPDATE, 0, 0, false,
                List.of(op(OpCode.WRITE, "a", "x".repeat(200))), 100);
        Mutation m = RecordMutator.mutate(null, big, NOW);
        assertEquals(ResultCode.RECORD_TOO_BIG, m.outcome().code());
        assertNull(m.record());
    }

    @Test
    void listOperationsReachTheListCode() {
        Mutation m = RecordMutator.mutate(null, operate(
                op(OpCode.LIST_APPEND, "l", "a", 0L),
                op(OpCode.LIST_APPEND, "l", "b", 0L),
                op(OpCode.LIST_SIZE, "l")), NOW);
        assertEquals(ResultCode.OK, m.outcome().code());
        assertEquals(List.of("a", "b"), m.record().bins().get("l"));
        assertEquals(Arrays.asList(1L, 2L, 2L), results(m));
    }
}
