package io.partita.raft.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.operate.Operation;
import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteOp;
import io.partita.engine.write.WriteOutcome;
import io.partita.protocol.OpCode;
import io.partita.protocol.ResultCode;
import io.partita.raft.command.proto.BatchResult;
import io.partita.raft.command.proto.WriteCommand;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins an operate command in the log byte for byte (its WriteCommand fields and the OperationCodec payload inside
 * them) and the state machine's reply to it. As for {@link CommandBatchGoldenTest}: if a constant stops matching,
 * entries already in logs would be read differently; add a new format instead of updating the bytes.
 */
class OperateCommandGoldenTest {
    private static final HexFormat HEX = HexFormat.of();

    private static final String GOLDEN_COMMAND = String.join("",
            "0804", "1204" + "74657374", "1a14" + "77".repeat(20),  // OPERATE = 4, namespace "test", digest
            "2001", "2803", "30e0f4f4c2b134",                       // UPDATE_ONLY = 1, expected generation 3, void time
            "48808040", "5205" + "7573657273",                      // max record size 1 MiB, set "users"
            "6a33", "01", "0704",                                   // operations (51 bytes): version 1, LIST of 4
            "0703" + "0308" + "05016e" + "0701030a",                // [ADD = 4, "n", [5]]
            "0703" + "032c" + "05016c" + "0703" + "0301" + "050178" + "0300", // [LIST_INSERT = 22, "l", [-1, "x", 0]]
            "0703" + "0306" + "0504676f6e65" + "070100",            // [WRITE = 3, "gone", [null]]
            "0703" + "0302" + "0500" + "0700"                       // [READ = 1, "", []]
    );
    private static final String GOLDEN_RESULT = String.join("",
            "0a1c", "1004", "1801", "2216",                         // OK, generation 4, existed, operate result:
            "0a0d", "0704" + "00" + "0306" + "00" + "0801" + "05016e" + "030c", // [null, 3, null, {"n": 6}]
            "10e0f4f4c2b134",                                       // void time
            "0a33", "081a", "1003", "1801", "222b",                 // OP_NOT_APPLICABLE = 26, generation 3, existed
            "1a29" + HEX.formatHex("LIST_INSERT: index -9 is before the front".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8))       // the error for the caller
    );

    static WriteOp goldenOp() {
        byte[] digest = new byte[20];
        Arrays.fill(digest, (byte) 0x77);
        return WriteOp.operate("test", "users", digest, ExistsAction.UPDATE_ONLY, 3, 1_800_000_060_000L, false,
                List.of(Operation.of(OpCode.ADD, "n", 5L),
                        Operation.of(OpCode.LIST_INSERT, "l", -1L, "x", 0L),
                        Operation.of(OpCode.WRITE, "gone", (Object) null),
                        Operation.of(OpCode.READ, "")),
                1 << 20);
    }

    private static List<WriteOutcome> goldenOutcomes() {
        return List.of(new WriteOutcome(ResultCode.OK, 4, true, new WriteOutcome.Operated(
                        Arrays.asList(null, 3L, null, java.util.Map.of("n", 6L)), 1_800_000_060_000L, "")),
                new WriteOutcome(ResultCode.OP_NOT_APPLICABLE, 3, true, new WriteOutcome.Operated(List.of(), 0,
                        "LIST_INSERT: index -9 is before the front")));
    }

    @Test
    void encodesTheCommandExactly() {
        assertEquals(GOLDEN_COMMAND, HEX.formatHex(WriteCommands.toCommand(goldenOp()).toByteArray()));
    }

    @Test
    void decodesTheGoldenCommandIntoTheSameOp() throws Exception {
        WriteOp decoded = WriteCommands.toOp(WriteCommand.parseFrom(HEX.parseHex(GOLDEN_COMMAND)));
        WriteOp expected = goldenOp();
        assertEquals(expected.kind(), decoded.kind());
        assertEquals(expected.existsAction(), decoded.existsAction());
        assertEquals(expected.expectedGeneration(), decoded.expectedGeneration());
        assertEquals(expected.voidTimeMs(), decoded.voidTimeMs());
        assertEquals(expected.set(), decoded.set());
        assertEquals(expected.operations(), decoded.operations());
    }

    @Test
    void encodesAndDecodesTheResultExactly() throws Exception {
        assertEquals(GOLDEN_RESULT, HEX.formatHex(WriteCommands.toResult(goldenOutcomes()).toByteArray()));
        assertEquals(goldenOutcomes(), WriteCommands.fromResult(BatchResult.parseFrom(HEX.parseHex(GOLDEN_RESULT))));
    }

    @Test
    void anUnknownOperationIsACorruptCommandNamingIt() {
        WriteCommand command = WriteCommands.toCommand(goldenOp());
        byte[] operations = command.getOperations().toByteArray();
        // The first operation's code: version 01, LIST tag 07, count 04, LIST tag 07, count 03, LONG tag 03, zigzag.
        assertEquals("01070407030308", HEX.formatHex(operations, 0, 7));
        operations[6] = (byte) (19 << 1); // code 19: none
        WriteCommand unknown = command.toBuilder()
                .setOperations(com.google.protobuf.ByteString.copyFrom(operations)).build();
        CorruptCommandException e = assertThrows(CorruptCommandException.class, () -> WriteCommands.toOp(unknown));
        assertTrue(e.getMessage().contains("has code 19"), e.getMessage());
    }
}
