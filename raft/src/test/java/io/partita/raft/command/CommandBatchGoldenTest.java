package io.partita.raft.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.RestorePolicy;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.ResultCode;
import io.partita.raft.command.proto.BatchResult;
import io.partita.raft.command.proto.CommandBatch;
import io.partita.raft.command.proto.WriteCommand;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the Raft log entry format byte for byte: a command batch of every write kind, exists action and restore
 * policy, its LZ4 framing, and the state machine's batch reply. If a golden constant stops matching, entries already
 * in logs (and snapshots' logs) would be read differently: do not update the bytes; add a new format or enum number.
 *
 * <p>The entry was captured from the encoder that used {@code ordinal()} for the enums, before the explicit mapping
 * replaced it, so these bytes also prove the mapping kept the numbers.
 */
class CommandBatchGoldenTest {
    private static final HexFormat HEX = HexFormat.of();

    private static final String TEST = "74657374";     // "test"
    private static final String USERS = "7573657273";  // "users"
    /** Field 11, 21 bytes: the restored record in RecordCodec format 2 (generation 9, set "users", "v" = "x"). */
    private static final String RECORD = "5a15" + "02090080a0abfef962057573657273010176050178";

    /** The batch as protobuf, before compression. */
    private static final String GOLDEN_RAW = String.join("",
            "0880a0f1c2b134",                                        // timestamp_ms 1,800,000,000,000
            "1241", "1204" + TEST, "1a14" + "11".repeat(20),         // PUT (kind 0, not written), namespace, digest
            "2003", "30e0f4f4c2b134",                                // exists_action CREATE_ONLY = 3, void_time_ms
            "420f", "02046e616d650503616461016e030e",                // bins {"name": "ada", "n": 7}
            "48808040", "5205" + USERS,                              // max_record_size 1 MiB, set "users"
            "1224", "0801", "1204" + TEST, "1a14" + "22".repeat(20), // DELETE = 1 (exists action CREATE_OR_UPDATE = 0)
            "2805", "48808040",                                      // expected_generation 5, max_record_size, no set
            "122d", "0802", "1204" + TEST, "1a14" + "33".repeat(20), // TOUCH = 2
            "2001", "3801", "48808040", "5205" + USERS,              // exists_action UPDATE_ONLY = 1, keep_void_time
            "1242", "0803", "1204" + TEST, "1a14" + "44".repeat(20), // RESTORE = 3
            "2002", "4815", "5205" + USERS, RECORD, "6002",          // exists_action REPLACE = 2; RESTORE_GENERATION
            "1242", "0803", "1204" + TEST, "1a14" + "55".repeat(20), // RESTORE
            "2002", "4815", "5205" + USERS, RECORD, "6001",          // RESTORE_CREATE_ONLY = 1
            "1240", "0803", "1204" + TEST, "1a14" + "66".repeat(20), // RESTORE
            "2002", "4815", "5205" + USERS, RECORD                   // RESTORE_REPLACE = 0, not written
    );

    /** The log entry: format 1, raw length (big-endian), then the LZ4 block of {@link #GOLDEN_RAW}. */
    private static final String GOLDEN_ENTRY = String.join("",
            "0100000169",  // format 1, raw length 0x169 = 361
            "ff030880a0f1c2b13412411204746573741a1411010000f41a200330e0f4f4c2",
            "b134420f02046e616d650503616461016e030e48808040520575736572731224",
            "080145001f220100002028052d0044122d080226001f33010000402001380128",
            "00045500344208032f001f4401000043200248152b00b25a1502090080a0abfe",
            "f962910088010176050178600244001f550100000f4400103601124088001f66",
            "0100000f44000a500176050178"
    );

    /** The state machine's reply to a batch of four writes. */
    private static final String GOLDEN_RESULT = String.join("",
            "0a02", "1001",                 // OK (code 0, not written), generation 1
            "0a04", "0803", "1801",         // GENERATION_ERROR = 3, existed
            "0a06", "0805", "1004", "1801", // KEY_EXISTS = 5, generation 4, existed
            "0a02", "0864"                  // NOT_LEADER = 100
    );

    private static byte[] digest(int fill) {
        byte[] d = new byte[20];
        Arrays.fill(d, (byte) fill);
        return d;
    }

    private static StoredRecord restoredRecord() {
        Map<String, Object> bins = new LinkedHashMap<>();
        bins.put("v", "x");
        return new StoredRecord(9, 0L, 1_700_000_000_000L, bins).withSet("users");
    }

    private static WriteOp restore(int fill, RestorePolicy policy) {
        StoredRecord record = restoredRecord();
        return WriteOp.restore("test", digest(fill), new WriteOp.Restore(record, RecordCodec.encode(record), policy));
    }

    /** One op of every write kind; together they use every exists action and every restore policy. */
    static List<WriteOp> goldenOps() {
        Map<String, Object> bins = new LinkedHashMap<>();
        bins.put("name", "ada");
        bins.put("n", 7L);
        return List.of(
                WriteOp.write(WriteKind.PUT, "test", "users", digest(0x11), ExistsAction.CREATE_ONLY, 0,
                        1_800_000_060_000L, false, bins, 1 << 20),
                WriteOp.write(WriteKind.DELETE, "test", "", digest(0x22), ExistsAction.CREATE_OR_UPDATE, 5, 0L,
                        false, Map.of(), 1 << 20),
                WriteOp.write(WriteKind.TOUCH, "test", "users", digest(0x33), ExistsAction.UPDATE_ONLY, 0, 0L, true,
                        Map.of(), 1 << 20),
                restore(0x44, RestorePolicy.GENERATION),
                restore(0x55, RestorePolicy.CREATE_ONLY),
                restore(0x66, RestorePolicy.REPLACE));
    }

    static CommandBatch goldenBatch() {
        CommandBatch.Builder b = CommandBatch.newBuilder().setTimestampMs(1_800_000_000_000L);
        for (WriteOp op : goldenOps()) {
            b.addCommands(WriteCommands.toCommand(op));
        }
        return b.build();
    }

    private static List<WriteOutcome> goldenOutcomes() {
        return List.of(new WriteOutcome(ResultCode.OK, 1, false),
                new WriteOutcome(ResultCode.GENERATION_ERROR, 0, true),
                new WriteOutcome(ResultCode.KEY_EXISTS, 4, true),
                WriteOutcome.failed(ResultCode.NOT_LEADER, false));
    }

    @Test
    void encodesTheBatchExactly() {
        assertEquals(GOLDEN_RAW, HEX.formatHex(goldenBatch().toByteArray()));
    }

    @Test
    void framesTheEntryExactly() {
        byte[] entry = CommandCodec.encode(goldenBatch());
        // The header alone: format 1, then the raw length as 4 bytes big-endian.
        assertEquals("01" + String.format("%08x", GOLDEN_RAW.length() / 2), HEX.formatHex(entry, 0, 5));
        // The whole entry. LZ4 compressors may differ in the block they choose for the same input without any
        // format change (the decoder accepts any valid block); if only this assertion fails after an lz4-java
        // upgrade while decodesTheGoldenEntry passes, the format is intact.
        assertEquals(GOLDEN_ENTRY, HEX.formatHex(entry));
    }

    @Test
    void decodesTheGoldenEntryIntoTheSameOps() {
        ByteBuffer entry = ByteBuffer.wrap(HEX.parseHex(GOLDEN_ENTRY));
        assertEquals(GOLDEN_RAW.length() / 2, CommandCodec.rawLength(entry));
        CommandBatch batch = CommandCodec.decode(entry);
        assertEquals(1_800_000_000_000L, batch.getTimestampMs());
        assertEquals(GOLDEN_RAW, HEX.formatHex(batch.toByteArray()));
        List<WriteOp> expected = goldenOps();
        List<WriteOp> decoded = WriteCommands.toOps(batch.getCommandsList());
        assertEquals(expected.size(), decoded.size());
        for (int i = 0; i < expected.size(); i++) {
            assertSameOp(expected.get(i), decoded.get(i), i);
        }
    }

    @Test
    void encodesAndDecodesTheBatchResultExactly() throws Exception {
        assertEquals(GOLDEN_RESULT, HEX.formatHex(WriteCommands.toResult(goldenOutcomes()).toByteArray()));
        assertEquals(goldenOutcomes(), WriteCommands.fromResult(BatchResult.parseFrom(HEX.parseHex(GOLDEN_RESULT))));
    }

    /** Each engine constant and its number in commands.proto, both ways. */
    @Test
    void mapsEveryEnumConstantToItsProtoNumber() {
        Map<WriteKind, Integer> kinds = Map.of(WriteKind.PUT, 0, WriteKind.DELETE, 1, WriteKind.TOUCH, 2,
                WriteKind.RESTORE, 3, WriteKind.OPERATE, 4, WriteKind.EXPIRE, 5,
                WriteKind.TRUNCATE, 6);
        assertEquals(WriteKind.values().length, kinds.size(), "a new WriteKind needs a number in commands.proto");
        for (WriteOp op : Stream.concat(goldenOps().stream(),
                Stream.of(OperateCommandGoldenTest.goldenOp(), expiry(), truncate())).toList()) {
            WriteCommand c = WriteCommands.toCommand(op);
            assertEquals(kinds.get(op.kind()), c.getKindValue(), op.kind().name());
            assertEquals(op.kind(), WriteCommands.toOp(c).kind());
        }
        Map<ExistsAction, Integer> actions = Map.of(ExistsAction.CREATE_OR_UPDATE, 0, ExistsAction.UPDATE_ONLY, 1,
                ExistsAction.REPLACE, 2, ExistsAction.CREATE_ONLY, 3);
        assertEquals(ExistsAction.values().length, actions.size(), "a new ExistsAction needs a number");
        for (Map.Entry<ExistsAction, Integer> e : actions.entrySet()) {
            WriteCommand c = WriteCommands.toCommand(WriteOp.write(WriteKind.PUT, "test", "", digest(1), e.getKey(),
                    0, 0L, false, Map.of("a", 1L), 100));
            assertEquals(e.getValue(), c.getExistsActionValue(), e.getKey().name());
            assertEquals(e.getKey(), WriteCommands.toOp(c).existsAction());
        }
        Map<RestorePolicy, Integer> policies = Map.of(RestorePolicy.REPLACE, 0, RestorePolicy.CREATE_ONLY, 1,
                RestorePolicy.GENERATION, 2);
        assertEquals(RestorePolicy.values().length, policies.size(), "a new RestorePolicy needs a number");
        for (Map.Entry<RestorePolicy, Integer> e : policies.entrySet()) {
            WriteCommand c = WriteCommands.toCommand(restore(1, e.getKey()));
            assertEquals(e.getValue(), c.getRestorePolicyValue(), e.getKey().name());
            assertEquals(e.getKey(), WriteCommands.toOp(c).restore().policy());
        }
    }

    private static WriteOp expiry() {
        return WriteOp.expire("test", digest(0x88), 3, 42L);
    }

    /** An expiry carries the generation and void time its scan saw, in the fields a compare-and-set uses. */
    @Test
    void encodesAnExpiryExactly() throws Exception {
        String golden = "0805" + "1204" + TEST + "1a14" + "88".repeat(20) // EXPIRE = 5, namespace, digest
                + "2803" + "302a";                                        // expected generation 3, void time 42
        assertEquals(golden, HEX.formatHex(WriteCommands.toCommand(expiry()).toByteArray()));
        WriteOp decoded = WriteCommands.toOp(WriteCommand.parseFrom(HEX.parseHex(golden)));
        assertEquals(WriteKind.EXPIRE, decoded.kind());
        assertEquals(3, decoded.expectedGeneration());
        assertEquals(42L, decoded.voidTimeMs());
        assertArrayEquals(digest(0x88), decoded.digest());
    }

    private static WriteOp truncate() {
        return WriteOp.truncate("test", new WriteOp.Truncate("users", 1_800_000_000_000L, 64, 128));
    }

    /** A truncate carries its set, cutoff and partition range; a range outside 0..4096 is a corrupt command. */
    @Test
    void encodesATruncateExactly() throws Exception {
        String golden = "0806" + "1204" + TEST + "5205" + USERS        // TRUNCATE = 6, namespace, set
                + "7080a0f1c2b134" + "7840" + "80018001";             // before 1,800,000,000,000; partitions 64..128
        assertEquals(golden, HEX.formatHex(WriteCommands.toCommand(truncate()).toByteArray()));
        WriteOp decoded = WriteCommands.toOp(WriteCommand.parseFrom(HEX.parseHex(golden)));
        assertEquals(truncate().truncate(), decoded.truncate());
        assertEquals("test", decoded.namespace());
        WriteCommand outside = WriteCommands.toCommand(truncate()).toBuilder().setTruncateToPartition(5000).build();
        assertThrows(CorruptCommandException.class, () -> WriteCommands.toOp(outside));
    }

    @Test
    void anUnknownEnumNumberIsACorruptCommandNamingIt() {
        WriteCommand put = WriteCommands.toCommand(goldenOps().get(0));
        WriteCommand restore = WriteCommands.toCommand(goldenOps().get(3));
        assertUnknown("write kind number 7", put.toBuilder().setKindValue(7).build());
        assertUnknown("exists action number 7", put.toBuilder().setExistsActionValue(7).build());
        assertUnknown("restore policy number 3", restore.toBuilder().setRestorePolicyValue(3).build());
    }

    private static void assertUnknown(String what, WriteCommand command) {
        CorruptCommandException e = assertThrows(CorruptCommandException.class, () -> WriteCommands.toOp(command));
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    private static void assertSameOp(WriteOp expected, WriteOp actual, int i) {
        String at = "op " + i;
        assertEquals(expected.kind(), actual.kind(), at);
        assertEquals(expected.namespace(), actual.namespace(), at);
        assertEquals(expected.set(), actual.set(), at);
        assertArrayEquals(expected.digest(), actual.digest(), at);
        assertEquals(expected.existsAction(), actual.existsAction(), at);
        assertEquals(expected.expectedGeneration(), actual.expectedGeneration(), at);
        assertEquals(expected.voidTimeMs(), actual.voidTimeMs(), at);
        assertEquals(expected.keepVoidTime(), actual.keepVoidTime(), at);
        assertEquals(expected.bins(), actual.bins(), at);
        assertEquals(expected.maxRecordSize(), actual.maxRecordSize(), at);
        if (expected.restore() == null) {
            assertNull(actual.restore(), at);
        } else {
            assertEquals(expected.restore().record(), actual.restore().record(), at);
            assertArrayEquals(expected.restore().encoded(), actual.restore().encoded(), at);
            assertEquals(expected.restore().policy(), actual.restore().policy(), at);
        }
    }
}
