package io.partita.engine.record;

/**
 * Thrown by the record and bin decoders when their input is not a well-formed encoding: truncated, an unknown format
 * version or type tag, a length larger than the bytes that remain, nesting deeper than
 * {@link io.partita.protocol.Limits#MAX_VALUE_DEPTH}, trailing bytes, and so on.
 *
 * <p>The decoders throw nothing else on bad input, so a caller can treat this exception as "the stored bytes are
 * damaged" without catching broader runtime exceptions. The message says what is wrong and at which byte offset.
 */
public final class CorruptRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    /**
     * @param problem what is wrong, e.g. "truncated string"
     * @param offset  offset of the offending byte in the input (for buffer-based decoding: the buffer position)
     */
    public CorruptRecordException(String problem, int offset) {
        super(problem + " at offset " + offset);
        this.offset = offset;
    }

    /** Offset in the input at which the problem was detected. */
    public int offset() {
        return offset;
    }
}
