package io.partita.server.frontend;

import io.partita.protocol.KeyDigest;
import io.partita.protocol.Limits;
import io.partita.protocol.ResultCode;
import io.partita.protocol.v1.Key;
import io.partita.server.config.NodeConfig.NamespaceConfig;
import java.nio.charset.StandardCharsets;

/**
 * Where a request's key lives: its namespace settings, digest and Raft group.
 *
 * @param namespace the namespace settings
 * @param set       the key's set name ("" = none), stored with the record
 * @param digest    the key's 20-byte digest
 * @param group     the Raft group owning the key's partition
 */
record KeyTarget(NamespaceConfig namespace, String set, byte[] digest, int group) {

    static KeyTarget resolve(Key key, Namespaces namespaces, java.util.function.IntUnaryOperator groupOfPartition)
            throws RequestException {
        if (key == null || key.getUserKeyCase() == Key.UserKeyCase.USERKEY_NOT_SET) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "the request has no key (set string_key, long_key"
                    + " or bytes_key)");
        }
        int keyBytes = switch (key.getUserKeyCase()) {
            case STRING_KEY -> key.getStringKeyBytes().size();
            case BYTES_KEY -> key.getBytesKey().size();
            default -> 0;
        };
        if (keyBytes > Limits.MAX_KEY_BYTES) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "the key is " + keyBytes + " bytes; keys are at"
                    + " most " + Limits.MAX_KEY_BYTES + " bytes (hash a longer one into a shorter key)");
        }
        NamespaceConfig ns = namespaces.require(key.getNamespace());
        checkSet(key.getSet());
        byte[] digest = KeyDigest.compute(key);
        return new KeyTarget(ns, key.getSet(), digest, groupOfPartition.applyAsInt(KeyDigest.partitionId(digest)));
    }

    /** A set name from a request: at most {@link Limits#MAX_SET_BYTES} bytes of UTF-8. */
    static void checkSet(String set) throws RequestException {
        if (set.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_SET_BYTES) {
            throw new RequestException(ResultCode.PARAMETER_ERROR, "set name is longer than "
                    + Limits.MAX_SET_BYTES + " bytes");
        }
    }
}
