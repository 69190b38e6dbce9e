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
    /** version 2, generation 0, voidTime 0, lastUpdate 0, no set: the bins section follows at offset 5. */
    private static final String HEADER_V2 = "0200000000";
    /** The same in version 3, whose values may use tags 0x09/0x0A. */
    private static final String HEADER_V3 = "0300000000";

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
        out.add(RecordCodec.encode(RecordCodecGoldenTest.orderedGoldenRecord(true)));
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
        for (int version : new int[] {0, 4, 0x7F, 0xFF}) {
            byte[] data = RecordCodec.encode(RecordCodecGoldenTest.goldenRecord());
            data[0] = (byte) version;
            assertCorrupt(data, "unsupported record format version " + version + " (this build reads 1..3)", 0);
        }
    }

    @Test
    void version3WithoutOrderedContainersIsRejected() {
        // such a record is written as version 2; accepting it would give one record two encodings
        byte[] data = RecordCodec.encode(RecordCodecGoldenTest.goldenRecord().withSet("demo"));
        data[0] = 3;
        assertCorrupt(data, "record format version 3 without an ordered list or key-ordered map", 0);
        assertCorrupt(hex(HEADER_V3, "00"), "without an ordered list", 0);
        assertEquals(Map.of("x", List.of()), RecordCodec.decode(hex(HEADER_V3, "01", "0178", "0900")).bins());
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
        for (int tag = 0x0B; tag <= 0xFF; tag++) {
            // one bin "x" whose value has the tag
            assertCorrupt(hex(HEADER, "01", "0178", String.format("%02x", tag)), "unknown value type tag", 7);
        }
        assertCorrupt(hex(HEADER, "01", "0178", "07", "01", "ff"), "unknown value type tag 0xff", 9);
    }

    @Test
    void invalidMapKeyTagsAreRejected() {
        for (String keyTag : new String[] {"00", "07", "08", "09", "0a"}) {
            assertCorrupt(hex(HEADER, "01", "0178", "08", "01", keyTag, "00", "00"), "not allowed for a map key", 9);
            // key-ordered maps take the same keys
            assertCorrupt(hex(HEADER_V3, "01", "0178", "0a", "01", keyTag, "00", "00"), "type tag 0x"
                    + Integer.toHexString(Integer.parseInt(keyTag, 16)) + " is not allowed for a map key", 10);
        }
    }

    @Test
    void orderedTagsNeedVersion3() {
        for (String tag : new String[] {"09", "0a"}) {
            assertCorrupt(hex(HEADER_V2, "01", "0178", tag, "00"), "tag 0x" + tag + " needs record format version 3",
                    8);
            assertCorrupt(hex(HEADER, "01", "0178", tag, "00"), "tag 0x" + tag + " needs record format version 3", 7);
            // nested in a plain list, and as a map value
            assertCorrupt(hex(HEADER_V2, "01", "0178", "07", "01", tag, "00"), "needs record format version 3", 10);
            assertCorrupt(hex(HEADER_V2, "01", "0178", "08", "01", "0302", tag, "00"), "needs record format version 3",
                    12);
            // the same bytes are fine in version 3, and in the bins sections of write commands and log entries
            assertEquals(1, RecordCodec.decode(hex(HEADER_V3, "01", "0178", tag, "00")).bins().size());
            assertEquals(1, BinCodec.decodeBins(hex("01", "0178", tag, "00")).size());
        }
    }

    @Test
    void orderedListElementsOutOfOrderAreRejected() {
        // [2, 1]: the second element (offset 12) is smaller
        assertCorrupt(hex(HEADER_V3, "01", "0178", "09", "02", "0304", "0302"),
                "ordered list elements out of order: 1 after 2", 12);
        // a double sorts after every integer: [1.5, 1] is out of order, [1, 1.5] is fine
        assertCorrupt(hex(HEADER_V3, "01", "0178", "09", "02", "043ff8000000000000", "0302"),
                "ordered list elements out of order", 19);
        assertEquals(List.of(1L, 1.5), RecordCodec.decode(hex(HEADER_V3, "01", "0178", "09", "02", "0302",
                "043ff8000000000000")).bin("x"));
        // strings by UTF-8 bytes: "é" (c3a9) after "z"
        assertCorrupt(hex(HEADER_V3, "01", "0178", "09", "02", "0502c3a9", "05017a"),
                "ordered list elements out of order: \"z\" after \"é\"", 14);
        // equal neighbours are allowed (an ordered list may hold duplicates)
        assertEquals(List.of(1L, 1L), RecordCodec.decode(hex(HEADER_V3, "01", "0178", "09", "02", "0302", "0302"))
                .bin("x"));
        // in the public decoders too
        CorruptRecordException e = assertThrows(CorruptRecordException.class,
                () -> BinCodec.decodeBins(hex("01", "0178", "09", "02", "0304", "0302")));
        assertEquals(7, e.offset());
    }

    @Test
    void keyOrderedMapKeysOutOfOrderOrDuplicateAreRejected() {
        // {"b": true, "a": true}: the second key (offset 14) is smaller
        assertCorrupt(hex(HEADER_V3, "01", "0178", "0a", "02", "050162", "02", "050161", "02"),
                "key-ordered map keys out of order or duplicate: \"a\" after \"b\"", 14);
        // duplicate key 1
        assertCorrupt(hex(HEADER_V3, "01", "0178", "0a", "02", "0302", "02", "0302", "01"),
                "key-ordered map keys out of order or duplicate: 1 after 1", 13);
        // duplicate byte[] key, compared by content
        assertCorrupt(hex(HEADER_V3, "01", "0178", "0a", "02", "060101", "02", "060101", "01"),
                "key-ordered map keys out of order or duplicate", 14);
        // a double key sorts after an integer key
        assertCorrupt(hex(HEADER_V3, "01", "0178", "0a", "02", "043ff8000000000000", "02", "0302", "02"),
                "key-ordered map keys out of order or duplicate", 20);
        // the values are not ordered, only the keys
        Map<?, ?> ok = (Map<?, ?>) RecordCodec.decode(hex(HEADER_V3, "01", "0178", "0a", "02", "0302", "0304",
                "0304", "0302")).bin("x");
        assertEquals(Map.of(1L, 2L, 2L, 1L), ok);
    }

    @Test
    void orderedContainersObeyTheUsualLimits() {
        assertCorrupt(hex(HEADER_V3, "01", "0178", "09", "ffffffff0f"), "list element count", 9);
        assertCorrupt(hex(HEADER_V3, "01", "0178", "0a", "02", "030202"), "map entry count 2", 9);
        String nestedMax = "0901".repeat(Limits.MAX_VALUE_DEPTH - 1) + "0a00";
        RecordCodec.decode(hex(HEADER_V3, "01", "0178", nestedMax));
        String nestedMaxPlus1 = "0901".repeat(Limits.MAX_VALUE_DEPTH) + "0a00";
        assertCorrupt(hex(HEADER_V3, "01", "0178", nestedMaxPlus1), "nested deeper than " + Limits.MAX_VALUE_DEPTH,
                8 + 2 * Limits.MAX_VALUE_DEPTH);
        // truncated inside an ordered list / key-ordered map
        assertCorrupt(hex(HEADER_V3, "01", "0178", "09", "02", "0302"), "missing value type tag", 12);
        assertCorrupt(hex(HEADER_V3, "01", "0178", "0a", "01", "0302"), "missing value type tag", 12);
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
