package io.partita.engine.storage;

import io.partita.protocol.KeyDigest;
import io.partita.protocol.Limits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layout inside a group's column family.
 *
 * <pre>
 *   record:  [partition id: 2 bytes BE][digest: 20 bytes][namespace: UTF-8]
 *   meta:    [0xFF][name: ASCII]
 * </pre>
 *
 * Meta keys: {@code applied} (the applied Raft position) and {@code replacing} (a snapshot install in progress).
 *
 * Records sort by (partition, digest) so a partition is one contiguous range (partition moves and per-partition
 * scans are range operations); the namespace comes last because it is not part of Aerospike's digest. Partition
 * ids are below 4096, so a first byte of 0xFF can never start a record key and the meta keys sort after all data.
 */
public final class RecordKeys {
    static final byte META_PREFIX = (byte) 0xFF;

    /** Raft term and index of the last log entry applied to this column family, written with that entry's data. */
    static final byte[] APPLIED_POSITION = metaKey("applied");

    /**
     * Present while the family is being replaced by a snapshot ({@link GroupStore#clear} until
     * {@link GroupStore#ingest} completes): the family is then empty or partial and must not be exported. Written in
     * the same batch as the clear, so no reader ever sees the cleared family without it.
     */
    static final byte[] REPLACING = metaKey("replacing");

    /** Value of {@link #REPLACING}: format version 1 of the marker (its presence is the whole message). */
    static final byte[] REPLACING_V1 = {1};

    /** Exclusive upper bound of every key of a column family (records and meta keys), for clearing it whole. */
    static final byte[] END_OF_FAMILY = {META_PREFIX, META_PREFIX};

    private RecordKeys() {
    }

    /** Whether a key of the column family is a meta key rather than a record. */
    static boolean isMetaKey(byte[] key) {
        return key.length > 0 && key[0] == META_PREFIX;
    }

    public static byte[] recordKey(String namespace, byte[] digest) {
        if (digest.length != Limits.DIGEST_BYTES) {
            throw new IllegalArgumentException("digest must be " + Limits.DIGEST_BYTES + " bytes, got " + digest.length);
        }
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        int partition = KeyDigest.partitionId(digest);
        return ByteBuffer.allocate(2 + digest.length + ns.length)
                .putShort((short) partition)
                .put(digest)
                .put(ns)
                .array();
    }

    /** The smallest key of a partition's records (for {@code partition} = 4096: the end of all records). */
    static byte[] partitionStart(int partition) {
        return new byte[] {(byte) (partition >>> 8), (byte) partition};
    }

    /** Whether a record key belongs to the namespace whose UTF-8 bytes are {@code namespace}. */
    static boolean hasNamespace(byte[] recordKey, byte[] namespace) {
        int at = 2 + Limits.DIGEST_BYTES;
        return recordKey.length - at == namespace.length
                && Arrays.equals(recordKey, at, recordKey.length, namespace, 0, namespace.length);
    }

    /** The digest of a record key. */
    static byte[] digestOf(byte[] recordKey) {
        return Arrays.copyOfRange(recordKey, 2, 2 + Limits.DIGEST_BYTES);
    }

    /** The namespace of a record key. */
    static String namespaceOf(byte[] recordKey) {
        int at = 2 + Limits.DIGEST_BYTES;
        return new String(recordKey, at, recordKey.length - at, StandardCharsets.UTF_8);
    }

    /** The partition a record key belongs to. */
    public static int partitionOf(byte[] recordKey) {
        return ((recordKey[0] & 0xFF) << 8) | (recordKey[1] & 0xFF);
    }

    private static byte[] metaKey(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] key = new byte[1 + n.length];
        key[0] = META_PREFIX;
        System.arraycopy(n, 0, key, 1, n.length);
        return key;
    }
}
