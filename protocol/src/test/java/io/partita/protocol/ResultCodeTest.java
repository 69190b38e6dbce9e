package io.partita.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResultCodeTest {
    @Test
    void everyCodeRoundTripsThroughItsWireNumber() {
        Set<Integer> seen = new HashSet<>();
        for (ResultCode rc : ResultCode.values()) {
            assertEquals(rc, ResultCode.fromCode(rc.code()));
            assertEquals(true, seen.add(rc.code()), "duplicate wire number " + rc.code());
        }
    }

    @Test
    void unknownNumbersNeverReadAsSuccess() {
        assertEquals(ResultCode.SERVER_ERROR, ResultCode.fromCode(-7));
        assertEquals(ResultCode.SERVER_ERROR, ResultCode.fromCode(9999));
    }
}
