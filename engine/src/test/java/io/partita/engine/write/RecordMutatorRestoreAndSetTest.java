package io.partita.engine.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import io.partita.engine.write.RecordMutator.Change;
import io.partita.engine.write.RecordMutator.Mutation;
import io.partita.protocol.ResultCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The set a write stores, and the decisions of RESTORE writes under each policy. */
class RecordMutatorRestoreAndSetTest {
    private static final byte[] DIGEST = new byte[20];
    private static final long NOW = 1_800_000_000_000L;

    private static WriteOp put(WriteKind kind, String set, ExistsAction action, Map<String, Object> bins) {
        return WriteOp.write(kind, "test", set, DIGEST, action, 0, 0, false, bins, 1 << 20);
    }

    private static WriteOp restore(StoredRecord record, RestorePolicy policy) {
        return WriteOp.restore("test", DIGEST, new WriteOp.Restore(record, RecordCodec.encode(record), policy));
    }

    @Test
    void createAndReplaceStoreTheKeysSetUpdatesKeepTheRecordsSet() {
        StoredRecord created = RecordMutator.mutate(null,
                put(WriteKind.PUT, "users", ExistsAction.CREATE_OR_UPDATE, Map.of("a", 1L)), NOW).record();
        assertEquals("users", created.set());
        StoredRecord inOtherSet = created.withSet("kept");
        assertEquals("kept", RecordMutator.mutate(inOtherSet,
                put(WriteKind.PUT, "users", ExistsAction.CREATE_OR_UPDATE, Map.of("b", 2L)), NOW).record().set());
        assertEquals("kept", RecordMutator.mutate(inOtherSet,
                put(WriteKind.PUT, "users", ExistsAction.UPDATE_ONLY, Map.of("b", 2L)), NOW).record().set());
        assertEquals("kept", RecordMutator.mutate(inOtherSet,
                put(WriteKind.TOUCH, "users", ExistsAction.CREATE_OR_UPDATE, Map.of()), NOW).record().set());
        assertEquals("users", RecordMutator.mutate(inOtherSet,
                put(WriteKind.PUT, "users", ExistsAction.REPLACE, Map.of("b", 2L)), NOW).record().set());
    }

    @Test
    void aRecordWithNoStoredSetTakesTheKeysSetOnUpdate() {
        StoredRecord version1 = new StoredRecord(3, 0, NOW - 5, Map.of("a", 1L));
        Mutation m = RecordMutator.mutate(version1,
                put(WriteKind.PUT, "users", ExistsAction.CREATE_OR_UPDATE, Map.of("b", 2L)), NOW);
        assertEquals("users", m.record().set());
        assertEquals("users", RecordCodec.decode(m.encoded()).set());
    }

    @Test
    void restoreStoresTheRecordExactly() {
        StoredRecord backup = new StoredRecord("users", 42, NOW + 60_000, NOW - 99_000, Map.of("a", "x"));
        WriteOp op = restore(backup, RestorePolicy.REPLACE);
        Mutation m = RecordMutator.mutate(new StoredRecord("users", 77, 0, NOW - 1, Map.of("z", 1L)), op, NOW);
        assertEquals(new WriteOutcome(ResultCode.OK, 42, true), m.outcome());
        assertEquals(Change.STORE, m.change());
        assertEquals(backup, m.record());
        assertSame(op.restore().encoded(), m.encoded());
    }

    @Test
    void createOnlyRestoreSkipsALiveRecord() {
        StoredRecord backup = new StoredRecord("s", 5, 0, NOW - 10, Map.of("a", 1L));
        Mutation skipped = RecordMutator.mutate(new StoredRecord("s", 1, 0, NOW, Map.of("b", 1L)),
                restore(backup, RestorePolicy.CREATE_ONLY), NOW);
        assertEquals(RestoreOutcome.SKIPPED_EXISTS, RestoreOutcome.of(skipped.outcome().code()));
        assertEquals(Change.NONE, skipped.change());
        Mutation written = RecordMutator.mutate(null, restore(backup, RestorePolicy.CREATE_ONLY), NOW);
        assertEquals(RestoreOutcome.WRITTEN, RestoreOutcome.of(written.outcome().code()));
        assertEquals(backup, written.record());
    }

    @Test
    void generationRestoreWritesOnlyAHigherGeneration() {
        StoredRecord live = new StoredRecord("s", 5, 0, NOW, Map.of("b", 1L));
        for (int generation : new int[] {4, 5}) {
            StoredRecord older = new StoredRecord("s", generation, 0, NOW - 10, Map.of("a", 1L));
            Mutation m = RecordMutator.mutate(live, restore(older, RestorePolicy.GENERATION), NOW);
            assertEquals(RestoreOutcome.SKIPPED_GENERATION, RestoreOutcome.of(m.outcome().code()), "gen " + generation);
            assertEquals(Change.NONE, m.change());
        }
        StoredRecord newer = new StoredRecord("s", 6, 0, NOW - 10, Map.of("a", 1L));
        assertEquals(Change.STORE, RecordMutator.mutate(live, restore(newer, RestorePolicy.GENERATION), NOW).change());
        assertEquals(Change.STORE, RecordMutator.mutate(null, restore(newer, RestorePolicy.GENERATION), NOW).change());
        // Generations compare unsigned, as the encoding stores them: 2^31 is above 5.
        StoredRecord wrapped = new StoredRecord("s", Integer.MIN_VALUE, 0, NOW - 10, Map.of("a", 1L));
        assertEquals(Change.STORE, RecordMutator.mutate(live, restore(wrapped, RestorePolicy.GENERATION), NOW).change());
    }

    @Test
    void anExpiredRecordIsNeverRestored() {
        StoredRecord expired = new StoredRecord("s", 9, NOW, NOW - 10_000, Map.of("a", 1L));
        for (RestorePolicy policy : RestorePolicy.values()) {
            Mutation m = RecordMutator.mutate(null, restore(expired, policy), NOW);
            assertEquals(RestoreOutcome.EXPIRED, RestoreOutcome.of(m.outcome().code()), policy.name());
            assertEquals(Change.NONE, m.change());
        }
        StoredRecord live = new StoredRecord("s", 9, NOW + 1, NOW - 10_000, Map.of("a", 1L));
        assertArrayEquals(RecordCodec.encode(live),
                RecordMutator.mutate(null, restore(live, RestorePolicy.REPLACE), NOW).encoded());
    }
}
