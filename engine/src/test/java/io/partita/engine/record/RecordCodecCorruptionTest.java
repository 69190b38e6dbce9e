package io.partita.engine.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.partita.protocol.Limits;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decoders must reject malformed input with CorruptRecordException only, never hang or misread. */
class RecordCodecCorruptionTest {
    /** version 1, generation 0, voidTime 0, lastUpdate 0: the bins section follows. */
    private static final String HEADER = "01000000";

    private static byte[] hex(String... parts) {
        return HexFormat.of().parseHex(String.join("", parts));
    }

    private static CorruptRecordException corrupt(byte[] data) {
        return assertThrows(CorruptRecordException.class, () -> RecordCodec.decode(data),
                () -> "expected CorruptRecordException for " + HexFormat.of().formatHex(data));
    }

    private static void assertCorrupt(byte[] data, String messagePart, int offset) {
        CorruptRecordException e = corrupt(data);
        assertTrue(e.getMessage().contains(messagePart), () -> "message '" + e.getMessage() + "' lacks '"
                + messagePart + "'");
        assertEquals(offset, e.offset(), () -> "offset in '" + e.getMessage() + "'");
        assertTrue(e.getMessage().contains("offset " + offset), e.getMessage());
    }

    private static List<byte[]> sampleEncodings() {
        List<byte[]> out = new ArrayList<>();
        out.add(RecordCodec.encode(RecordCodecGoldenTest.goldenRecord()));
        out.add(RecordCodec.encode(new StoredRecord(0, 0, 0, Map.of())));
        RandomRecords gen = new RandomRecords(7);
        while (out.size() < 40) {
            out.add(RecordCodec.encode(gen.record()));
        }
        return out;
    }

    @Test
    void everyTruncationIsRejected() {
        for (byte[] full : sampleEncodings()) {
            for (int len = 0; len < full.length; len++) {
                byte[] prefix = Arrays.copyOf(full, len);
                corrupt(prefix);
            }
        }
    }

    @Test
    void everyTruncationOfABinsSectionIsRejected() {
        RandomRecords gen = new RandomRecords(8);
        for (int i = 0; i < 30; i++) {
            byte[] full = BinCodec.encodeBins(gen.bins(true));
            for (int len = 0; len < full.length; len++) {
                int cut = len;
                assertThrows(CorruptRecordException.class, () -> BinCodec.decodeBins(full, 0, cut));
            }
        }
    }

    @Test
    void emptyInputIsRejected() {
        assertCorrupt(new byte[0], "empty input", 0);
    }

    @Test
    void unknownVersionsAreRejected() {
        for (int version : new int[] {0, 3, 0x7F, 0xFF}) {
            byte[] data = RecordCodec.encode(RecordCodecGoldenTest.goldenRecord());
            data[0] = (byte) version;
            assertCorrupt(data, "unsupported record format version " + version, 0);
        }
    }

    @Test
    void malformedSetNamesAreRejected() {
        // version 2, generation 0, voidTime 0, lastUpdate 0, then the set
        assertCorrupt(hex("02000000", "40", "61".repeat(64), "00"), "set name of 64 bytes exceeds 63", 4);
        assertCorrupt(hex("02000000", "02", "c328", "00"), "invalid UTF-8 in set name", 5);
        assertCorrupt(hex("02000000", "05", "6162"), "truncated input: set name needs 5 bytes", 5);
        assertCorrupt(hex("02000000"), "truncated input: missing set name length", 4);
    }

    @Test
    void unknownTagsAreRejected() {
        for (int tag = 0x09; tag <= 0xFF; tag++) {
            // one bin "x" whose value has the tag
            assertCorrupt(hex(HEADER, "01", "0178", String.format("%02x", tag)), "unknown value type tag", 7);
        }
        assertCorrupt(hex(HEADER, "01", "0178", "07", "01", "ff"), "unknown value type tag 0xff", 9);
    }

    @Test
    void invalidMapKeyTagsAreRejected() {
        for (String keyTag : new String[] {"00", "07", "08", "09"}) {
            assertCorrupt(hex(HEADER, "01", "0178", "08", "01", keyTag, "00", "00"), "not allowed for a map key", 9);
        }
    }

    @Test
    void hugeDeclaredLengthsAreRejected() {
        // string length 2^62 - 1
        assertCorrupt(hex(HEADER, "01", "0178", "05", "ffffffffffffffff3f", "61"), "string length", 8);
        // byte array length one more than what remains
        assertCorrupt(hex(HEADER, "01", "0178", "06", "03", "0102"), "byte array length 3 exceeds", 8);
        // list / map counts far beyond the input
        assertCorrupt(hex(HEADER, "01", "0178", "07", "ffffffff0f"), "list element count", 8);
        assertCorrupt(hex(HEADER, "01", "0178", "08", "80808080808080808001"), "map entry count", 8);  // 2^63
        assertCorrupt(hex(HEADER, "01", "0178", "06", "ffffffffffffffffff01", "00"), "byte array length", 8);
        // a map needs 2 bytes per entry: 2 entries in 3 bytes cannot fit
        assertCorrupt(hex(HEADER, "01", "0178", "08", "02", "030202"), "map entry count 2", 8);
        // bin count
        assertCorrupt(hex(HEADER, "ffffffff07"), "bin count", 4);
        // bin name longer than the rest
        assertCorrupt(hex(HEADER, "01", "05", "6162", "00"), "bin name", 6);
    }

    @Test
    void overDeepNestingIsRejected() {
        String nestedMax = "0701".repeat(Limits.MAX_VALUE_DEPTH - 1) + "0700";
        StoredRecord ok = RecordCodec.decode(hex(HEADER, "01", "0178", nestedMax));
        Object v = ok.bin("x");
        for (int level = 1; level < Limits.MAX_VALUE_DEPTH; level++) {
            v = ((List<?>) v).get(0);
        }
        assertEquals(List.of(), v);

        String nestedMaxPlus1 = "0701".repeat(Limits.MAX_VALUE_DEPTH) + "0700";
        assertCorrupt(hex(HEADER, "01", "0178", nestedMaxPlus1), "nested deeper than " + Limits.MAX_VALUE_DEPTH,
                7 + 2 * Limits.MAX_VALUE_DEPTH);
        // maps count as levels too, and a huge nesting must not overflow the stack
        String deepMaps = "08010300".repeat(10_000) + "00";
        assertCorrupt(hex(HEADER, "01", "0178", deepMaps), "nested deeper than " + Limits.MAX_VALUE_DEPTH,
                7 + 4 * Limits.MAX_VALUE_DEPTH);
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] good = RecordCodec.encode(RecordCodecGoldenTest.goldenRecord());
        for (String garbage : new String[] {"00", "01", "ffff"}) {
            byte[] data = hex(HexFormat.of().formatHex(good), garbage);
            assertCorrupt(data, "trailing bytes", good.length);
        }
        byte[] bins = BinCodec.encodeBins(Map.of("a", 1L));
        byte[] withTrailer = Arrays.copyOf(bins, bins.length + 1);
        assertThrows(CorruptRecordException.class, () -> BinCodec.decodeBins(withTrailer));
    }

    @Test
    void nonCanonicalEncodingsAreRejected() {
        assertCorrupt(hex(HEADER, "01", "0178", "03", "8000"), "non-minimal varint", 8);
        assertCorrupt(hex("01", "8100", "0000", "00"), "non-minimal varint (generation)", 1);
        assertCorrupt(hex(HEADER, "01", "0178", "03", "ffffffffffffffffff02"), "overflows 64 bits", 8);
        assertCorrupt(hex("01", "8080808010", "0000", "00"), "generation 4294967296 does not fit", 1);
        assertCorrupt(hex(HEADER, "01", "0178", "04", "7ff8000000000001"), "non-canonical NaN", 8);
        assertCorrupt(hex(HEADER, "01", "0178", "05", "02", "c0af"), "invalid UTF-8", 9);      // overlong '/'
        assertCorrupt(hex(HEADER, "01", "0178", "05", "03", "eda080"), "invalid UTF-8", 9);    // encoded surrogate
        assertCorrupt(hex(HEADER, "01", "02", "ff78", "00"), "invalid UTF-8 in bin name", 6);
    }

    @Test
    void structuralDuplicatesAndNullsAreRejected() {
        assertCorrupt(hex(HEADER, "02", "0178", "01", "0178", "02"), "duplicate bin name 'x'", 8);
        assertCorrupt(hex(HEADER, "01", "0178", "08", "02", "0302", "01", "0302", "02"), "duplicate map key 1", 12);
        assertCorrupt(hex(HEADER, "01", "0178", "08", "02", "060101", "01", "060101", "02"), "duplicate map key bytes[1]{01}", 13);
        assertCorrupt(hex(HEADER, "01", "00", "0101"), "empty bin name", 5);
        // NULL is a valid bin value in a write command, but not in a stored record
        assertCorrupt(hex(HEADER, "01", "0178", "00"), "null value for bin 'x'", 7);
        assertEquals(1, BinCodec.decodeBins(hex("01", "0178", "00")).size());
    }

    @Test
    void randomByteFlipsEitherFailCleanlyOrDecodeCanonically() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            long seed = 99;
            Random random = new Random(seed);
            List<byte[]> samples = sampleEncodings();
            int decodedOk = 0;
            for (int i = 0; i < 20_000; i++) {
                byte[] data = samples.get(random.nextInt(samples.size())).clone();
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    int at = random.nextInt(data.length);
                    data[at] = random.nextBoolean() ? (byte) random.nextInt(256)
                            : (byte) (data[at] ^ (1 << random.nextInt(8)));
                }
                try {
                    StoredRecord r = RecordCodec.decode(data);
                    // every accepted input is canonical: re-encoding reproduces it exactly
                    assertArrayEquals(data, RecordCodec.encode(r), "seed " + seed + " iteration " + i);
                    decodedOk++;
                } catch (CorruptRecordException expected) {
                    // fine
                } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                    fail("seed " + seed + " iteration " + i + " input " + HexFormat.of().formatHex(data), e);
                }
            }
            assertTrue(decodedOk > 0, "some flips (e.g. inside string bytes) should still decode");
        });
    }

    @Test
    void decodesFromAnOffsetAndReportsAbsoluteOffsets() {
        byte[] record = RecordCodec.encode(RecordCodecGoldenTest.goldenRecord());
        ByteArrayOutputStream padded = new ByteArrayOutputStream();
        padded.writeBytes(new byte[] {9, 9, 9});
        padded.writeBytes(record);
        padded.writeBytes(new byte[] {9});
        byte[] data = padded.toByteArray();
        assertEquals(RecordCodecGoldenTest.goldenRecord(), RecordCodec.decode(data, 3, record.length));
        CorruptRecordException e = assertThrows(CorruptRecordException.class,
                () -> RecordCodec.decode(data, 3, record.length + 1));
        assertEquals(3 + record.length, e.offset());
    }
}
