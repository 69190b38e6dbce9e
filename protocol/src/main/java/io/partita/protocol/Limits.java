package io.partita.protocol;

/** Fixed limits of the record model, the same on client and server. */
public final class Limits {
    /** Bin names are at most this many bytes of UTF-8 (Aerospike's limit). */
    public static final int MAX_BIN_NAME_BYTES = 15;
    /** Namespace names are at most this many bytes of UTF-8. */
    public static final int MAX_NAMESPACE_BYTES = 31;
    /** Set names are at most this many bytes of UTF-8 (Aerospike's limit is 63). */
    public static final int MAX_SET_BYTES = 63;
    /**
     * Longest user key, in bytes (a string key's UTF-8, a bytes key's bytes). Keys are hashed into the digest, not
     * stored, so this only bounds the work and memory a request makes a node spend before the key is checked.
     */
    public static final int MAX_KEY_BYTES = 8 * 1024;
    /**
     * Most bins one write request may carry (the bin names Aerospike 5 and 6 allow per namespace). Operate calls
     * add at most their operation count at a time; any record also stays within its namespace's max-record-size.
     */
    public static final int MAX_BINS_PER_WRITE = 65_535;
    /** Keys hash into this many partitions. */
    public static final int PARTITION_COUNT = 4096;
    /** Length of a key digest in bytes (RIPEMD-160). */
    public static final int DIGEST_BYTES = 20;
    /**
     * Deepest nesting of lists/maps in a bin value (a list directly in a bin is level 1), enforced alike by the wire
     * conversion ({@link Values#toProto}), {@link BinValues#canonicalize} and the engine's storage codec. Protobuf
     * parsers refuse messages nested deeper than 100 levels and each list/map level costs two, so much deeper values
     * could not be read back from the wire; the limit also turns a self-containing list into an error instead of a
     * stack overflow.
     */
    public static final int MAX_VALUE_DEPTH = 32;

    private Limits() {
    }
}
