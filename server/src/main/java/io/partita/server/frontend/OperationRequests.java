package io.partita.server.frontend;

import io.partita.protocol.OpCode;
import io.partita.engine.operate.Operation;
import io.partita.engine.operate.OperationCodec;
import io.partita.protocol.Limits;
import io.partita.protocol.ResultCode;
import io.partita.protocol.Values;
import io.partita.protocol.v1.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Checks what a client sends before anything reaches the log: bin names, and an operate call's operations (known
 * codes, a bin where one is needed, arguments that are values the log can carry). Argument types and counts per
 * operation are the engine's to check when it runs them, so a replica never trusts the front end for those.
 */
final class OperationRequests {
    /** Most operations one operate call may carry. */
    static final int MAX_OPERATIONS = 1000;

    private OperationRequests() {
    }

    /** A bin name must be 1..{@link Limits#MAX_BIN_NAME_BYTES} bytes of UTF-8. */
    static void checkBinName(String name) throws RequestException {
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes == 0) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "a bin has an empty name");
        }
        if (nameBytes > Limits.MAX_BIN_NAME_BYTES) {
            throw new RequestException(ResultCode.BIN_NAME_TOO_LONG, "bin name '" + name + "' is " + nameBytes
                    + " bytes; the limit is " + Limits.MAX_BIN_NAME_BYTES + " bytes of UTF-8");
        }
    }

    /**
     * An operate call's operations as the engine takes them, and their log encoding (computed to check that every
     * argument can be carried; a write passes it on instead of encoding again).
     */
    record Checked(List<Operation> operations, byte[] encoded) {
    }

    static Checked operations(List<io.partita.protocol.v1.Operation> requested) throws RequestException {
        if (requested.isEmpty()) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "an operate call needs at least one operation");
        }
        if (requested.size() > MAX_OPERATIONS) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "an operate call carries at most "
                    + MAX_OPERATIONS + " operations, got " + requested.size());
        }
        List<Operation> out = new ArrayList<>(requested.size());
        for (io.partita.protocol.v1.Operation o : requested) {
            out.add(operation(out.size(), o));
        }
        try {
            return new Checked(out, OperationCodec.encode(out));
        } catch (IllegalArgumentException e) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "an operation's argument cannot be stored: "
                    + e.getMessage());
        }
    }

    private static Operation operation(int index, io.partita.protocol.v1.Operation o) throws RequestException {
        OpCode code = OpCode.ofWire(o.getCode());
        if (code == null) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "operation " + index + " has code " + o.getCode()
                    + ", which this node does not know; upgrade the node or drop the operation");
        }
        String bin = o.getBin();
        boolean recordLevel = code == OpCode.READ_HEADER || code == OpCode.TOUCH || code == OpCode.DELETE;
        if (recordLevel && !bin.isEmpty()) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "operation " + index + " (" + code
                    + ") applies to the record and takes no bin name, got '" + bin + "'");
        }
        // READ without a bin reads every bin; every other operation names its bin.
        if (!recordLevel && !(code == OpCode.READ && bin.isEmpty())) {
            checkBinName(bin);
        }
        List<Object> args = new ArrayList<>(o.getArgsCount());
        for (Value v : o.getArgsList()) {
            try {
                args.add(Values.fromProto(v));
            } catch (IllegalArgumentException e) {
                throw new RequestException(ResultCode.PARAMETER_ERROR, "operation " + index + " (" + code
                        + "): argument " + args.size() + ": " + e.getMessage());
            }
        }
        return new Operation(code, bin, Collections.unmodifiableList(args));
    }
}
