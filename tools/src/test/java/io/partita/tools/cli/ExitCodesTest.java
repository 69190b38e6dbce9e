package io.partita.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partita.protocol.ResultCode;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExitCodesTest {

    private static final Map<ResultCode, Integer> EXPECTED = new EnumMap<>(ResultCode.class);

    static {
        EXPECTED.put(ResultCode.OK, 0);
        EXPECTED.put(ResultCode.KEY_NOT_FOUND, 1);
        EXPECTED.put(ResultCode.PARAMETER_ERROR, 2);
        EXPECTED.put(ResultCode.BIN_NAME_TOO_LONG, 2);
        EXPECTED.put(ResultCode.NAMESPACE_NOT_FOUND, 2);
        EXPECTED.put(ResultCode.RECORD_TOO_BIG, 2);
        EXPECTED.put(ResultCode.BIN_TYPE_ERROR, 2);
        EXPECTED.put(ResultCode.OP_NOT_APPLICABLE, 2);
        EXPECTED.put(ResultCode.ELEMENT_EXISTS, 3);
        EXPECTED.put(ResultCode.ELEMENT_NOT_FOUND, 1);
        EXPECTED.put(ResultCode.KEY_EXISTS, 3);
        EXPECTED.put(ResultCode.GENERATION_ERROR, 3);
        EXPECTED.put(ResultCode.TIMEOUT, 4);
        EXPECTED.put(ResultCode.IN_DOUBT, 4);
        EXPECTED.put(ResultCode.NOT_LEADER, 4);
        EXPECTED.put(ResultCode.SERVER_ERROR, 4);
        EXPECTED.put(ResultCode.NOT_AUTHENTICATED, 5);
        EXPECTED.put(ResultCode.ROLE_VIOLATION, 5);
        EXPECTED.put(ResultCode.INVALID_CREDENTIAL, 5);
        EXPECTED.put(ResultCode.EXPIRED_SESSION, 5);
        EXPECTED.put(ResultCode.USER_ALREADY_EXISTS, 3);
        EXPECTED.put(ResultCode.SECURITY_NOT_ENABLED, 2);
        EXPECTED.put(ResultCode.INVALID_USER, 2);
        EXPECTED.put(ResultCode.INVALID_PASSWORD, 2);
        EXPECTED.put(ResultCode.INVALID_ROLE, 2);
    }

    @Test
    void tableCoversEveryResultCode() {
        assertEquals(ResultCode.values().length, EXPECTED.size(),
                "a ResultCode was added: decide its exit code here, in ExitCodes and in tools/README.md");
    }

    @ParameterizedTest
    @EnumSource(ResultCode.class)
    void mapsEveryResultCode(ResultCode code) {
        assertEquals(EXPECTED.get(code), ExitCodes.of(code), code.name());
    }

    @Test
    void namedConstantsMatchTheDocumentedTable() {
        assertEquals(0, ExitCodes.OK);
        assertEquals(1, ExitCodes.NOT_FOUND);
        assertEquals(2, ExitCodes.USAGE);
        assertEquals(3, ExitCodes.CONFLICT);
        assertEquals(4, ExitCodes.UNAVAILABLE);
    }
}
