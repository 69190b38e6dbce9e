package io.partita.engine.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.engine.write.ExistsAction;
import io.partita.engine.write.WriteKind;
import io.partita.engine.write.WriteOp;
import io.partita.protocol.KeyDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stored applied position with the group's time: its bytes, the older 16-byte form, and snapshot transport. */
class AppliedPositionTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    @Test
    void encodingIsPinned() {
        // term 3, index 42, time 1_800_000_000_123 ms, big-endian int64 each
        String golden = "0000000000000003" + "000000000000002a" + "000001a3185c507b";
        assertEquals(golden, HEX.formatHex(new AppliedPosition(3, 42, 1_800_000_000_123L).encode()));
        assertEquals(new AppliedPosition(3, 42, 1_800_000_000_123L), AppliedPosition.decode(HEX.parseHex(golden)));
    }

    @Test
    void positionsWrittenBeforeGroupTimeDecodeWithTimeZero() {
        byte[] v1 = HEX.parseHex("0000000000000003" + "000000000000002a");
        assertEquals(new AppliedPosition(3, 42, 0), AppliedPosition.decode(v1));
    }

    @Test
    void newEncodingStartsWithTheOldOneSoOlderCodeReadsTermAndIndex() {
        byte[] v2 = new AppliedPosition(7, 99, 123).encode();
        byte[] v1 = new byte[AppliedPosition.V1_BYTES];
        System.arraycopy(v2, 0, v1, 0, v1.length);
        assertArrayEquals(HEX.parseHex("0000000000000007" + "0000000000000063"), v1);
    }

    @Test
    void unknownLengthIsRefusedWithAMessage() {
        StorageException e = assertThrows(StorageException.class,
                () -> AppliedPosition.decode(new byte[20]));
        assertTrue(e.getMessage().contains("20 bytes"), e.getMessage());
    }

    @Test
    void groupTimeIsStoredWithTheDataAndTravelsWithAnExport() throws Exception {
        Path files = Files.createDirectories(dir.resolve("export"));
        AppliedPosition position = new AppliedPosition(2, 10, 1_800_000_000_000L);
        try (NodeStore node = NodeStore.open(dir.resolve("db"), StorageOptions.defaults())) {
            GroupStore source = node.group(0);
            source.apply(position, position.timeMs(), List.of(WriteOp.write(WriteKind.PUT, "test", "s",
                    KeyDigest.compute("s", "k"), ExistsAction.CREATE_OR_UPDATE, 0, 0, false, Map.of("v", 1L), 1 << 20)));
            source.advance(new AppliedPosition(2, 11, position.timeMs()));
            ExportedGroup export = source.exportTo(files, 1 << 20);
            assertEquals(new AppliedPosition(2, 11, position.timeMs()), export.position());
            GroupStore target = node.group(1);
            target.clear();
            target.ingest(export.files());
            assertEquals(new AppliedPosition(2, 11, position.timeMs()), target.appliedPosition());
        }
        try (NodeStore node = NodeStore.open(dir.resolve("db"), StorageOptions.defaults())) {
            assertEquals(position.timeMs(), node.group(0).appliedPosition().timeMs(), "durable across reopen");
        }
    }
}
