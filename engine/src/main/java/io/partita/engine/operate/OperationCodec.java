package io.partita.engine.operate;

import io.partita.protocol.OpCode;
import io.partita.engine.record.BinCodec;
import io.partita.engine.record.CorruptRecordException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The binary form of an {@code operate()} call's operations, as a log command carries them.
 *
 * <h2>Layout (version 1)</h2>
 * <pre>
 * operations := 0x01 (version)  value
 * value      := a {@link BinCodec} LIST of operations, each a LIST [wire:LONG, bin:STRING, args:LIST]
 * </pre>
 * {@code wire} is {@link OpCode#wire()}. The arguments thus nest three levels below the top, so an argument may hold
 * lists and maps up to {@link io.partita.protocol.Limits#MAX_VALUE_DEPTH} − 3 deep. Pinned by
 * {@code OperationCodecGoldenTest}; a new layout gets a new version byte and this class keeps decoding the old ones.
 */
public final class OperationCodec {
    /** The layout this version writes. */
    public static final int VERSION = 1;

    private OperationCodec() {
    }

    /**
     * @throws IllegalArgumentException if an argument is not an encodable value (or nests too deep); the message
     *                                  names the operation's bin
     */
    public static byte[] encode(List<Operation> operations) {
        List<Object> ops = new ArrayList<>(operations.size());
        for (Operation op : operations) {
            ops.add(List.of((long) op.code().wire(), op.bin(), op.args()));
        }
        byte[] value = BinCodec.encodeValue(ops, "operations");
        byte[] out = new byte[value.length + 1];
        out[0] = VERSION;
        System.arraycopy(value, 0, out, 1, value.length);
        return out;
    }

    /**
     * @throws CorruptRecordException if the bytes are not operations of a known version, or name an operation this
     *                                version does not know (applying a guess would make replicas diverge)
     */
    public static List<Operation> decode(byte[] data) {
        if (data.length == 0 || data[0] != VERSION) {
            throw new CorruptRecordException("operations have version " + (data.length == 0 ? "(none)" : data[0])
                    + "; this version of Partita reads version " + VERSION, 0);
        }
        if (!(BinCodec.decodeValue(data, 1, data.length - 1) instanceof List<?> ops)) {
            throw new CorruptRecordException("operations are not a list", 1);
        }
        List<Operation> out = new ArrayList<>(ops.size());
        for (Object o : ops) {
            if (!(o instanceof List<?> op) || op.size() != 3 || !(op.get(0) instanceof Long wire)
                    || !(op.get(1) instanceof String bin) || !(op.get(2) instanceof List<?> args)) {
                throw new CorruptRecordException("operation " + out.size() + " is not [code, bin, args]", 1);
            }
            OpCode code = wire > Integer.MAX_VALUE || wire < 0 ? null : OpCode.ofWire(wire.intValue());
            if (code == null) {
                throw new CorruptRecordException("operation " + out.size() + " has code " + wire + ", which this"
                        + " version of Partita does not know; run the version that wrote it (or a newer one)", 1);
            }
            @SuppressWarnings("unchecked")
            List<Object> values = (List<Object>) args;
            out.add(new Operation(code, bin, Collections.unmodifiableList(values)));
        }
        return out;
    }
}
