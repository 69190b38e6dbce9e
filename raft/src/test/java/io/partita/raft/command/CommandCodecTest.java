package io.partita.raft.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.protocol.KeyDigest;
import io.partita.raft.command.proto.CommandBatch;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CommandCodecTest {

    private static CommandBatch batch(int commands, String value) {
        CommandBatch.Builder b = CommandBatch.newBuilder().setTimestampMs(1_800_000_000_000L);
        for (int i = 0; i < commands; i++) {
            b.addCommands(WriteCommands.toCommand(WriteOp.write(WriteKind.PUT, "test", "s", KeyDigest.compute("s", "k" + i),
                    ExistsAction.CREATE_OR_UPDATE, i, 0, false, Map.of("v", value, "n", (long) i), 1 << 20)));
        }
        return b.build();
    }

    @Test
    void roundTripsABatchExactly() {
        CommandBatch original = batch(50, "hello");
        byte[] entry = CommandCodec.encode(original);
        assertEquals(original, CommandCodec.decode(ByteBuffer.wrap(entry)));
        assertEquals(original.getSerializedSize(), CommandCodec.rawLength(ByteBuffer.wrap(entry)));
        assertEquals(original.getCommands(7), CommandCodec.decode(ByteBuffer.wrap(entry)).getCommands(7));
        assertEquals(WriteKind.PUT, WriteCommands.toOp(original.getCommands(7)).kind());
    }

    @Test
    void compressibleBatchesShrink() {
        CommandBatch original = batch(20, "a".repeat(2000));
        byte[] entry = CommandCodec.encode(original);
        assertTrue(entry.length * 10 < original.getSerializedSize(),
                "entry " + entry.length + " bytes vs raw " + original.getSerializedSize());
    }

    @Test
    void corruptEntriesFailWithACorruptCommandException() {
        byte[] entry = CommandCodec.encode(batch(5, "x".repeat(100)));
        assertThrows(CorruptCommandException.class, () -> CommandCodec.decode(ByteBuffer.wrap(new byte[3])));
        byte[] wrongFormat = entry.clone();
        wrongFormat[0] = 9;
        assertThrows(CorruptCommandException.class, () -> CommandCodec.decode(ByteBuffer.wrap(wrongFormat)));
        byte[] hugeLength = entry.clone();
        ByteBuffer.wrap(hugeLength).putInt(1, Integer.MAX_VALUE);
        assertThrows(CorruptCommandException.class, () -> CommandCodec.decode(ByteBuffer.wrap(hugeLength)));
        for (int cut = 5; cut < entry.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(entry, cut);
            assertThrows(CorruptCommandException.class, () -> CommandCodec.decode(ByteBuffer.wrap(truncated)));
        }
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] flipped = entry.clone();
            flipped[5 + random.nextInt(entry.length - 5)] ^= (byte) (1 + random.nextInt(255));
            try {
                CommandCodec.decode(ByteBuffer.wrap(flipped));
            } catch (CorruptCommandException expected) {
                // Either a clean failure or a decode; nothing else may escape.
            }
        }
    }
}
