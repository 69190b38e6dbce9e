package io.partita.protocol;

/**
 * Outcome of a Partita operation, shared by client, server and engine.
 *
 * <p>Numbers follow Aerospike's result codes where Aerospike has one, so operators can carry their knowledge over;
 * {@link #NOT_LEADER} and {@link #IN_DOUBT} are Partita's own. The number is what travels on the wire.
 */
public enum ResultCode {
    /** The operation succeeded. */
    OK(0, false),
    /** The node failed unexpectedly; see its log. Safe to retry a read; a write may be in doubt. */
    SERVER_ERROR(1, false),
    /** The record does not exist (or has expired). */
    KEY_NOT_FOUND(2, false),
    /** The expected generation did not match the record's generation (compare-and-set lost). */
    GENERATION_ERROR(3, false),
    /** The request is malformed: a required field is missing or a value is out of range. */
    PARAMETER_ERROR(4, false),
    /** A create-only write found the record already present. */
    KEY_EXISTS(5, false),
    /** The operation did not complete within its deadline. A write may or may not have been applied. */
    TIMEOUT(9, true),
    /** An operation does not apply to the bin's value type (for instance a list operation on a string bin). */
    BIN_TYPE_ERROR(12, false),
    /** The encoded record would exceed the namespace's max-record-size. */
    RECORD_TOO_BIG(13, false),
    /** The namespace is not configured on the cluster. */
    NAMESPACE_NOT_FOUND(20, false),
    /** A bin name is longer than {@link Limits#MAX_BIN_NAME_BYTES} bytes of UTF-8. */
    BIN_NAME_TOO_LONG(21, false),
    /** A list or map operation's element does not exist (a map put with update-only found no such key). */
    ELEMENT_NOT_FOUND(23, false),
    /** A list or map operation's element exists already (add-unique, or a map put with create-only). */
    ELEMENT_EXISTS(24, false),
    /** A list or map operation cannot apply as asked (for instance an index out of bounds). */
    OP_NOT_APPLICABLE(26, false),
    /** A user or security call reached a node that runs without {@code security.enabled}. */
    SECURITY_NOT_ENABLED(52, false),
    /** The user does not exist (user administration), or the user name is not valid. */
    INVALID_USER(60, false),
    /** A user of that name exists already. */
    USER_ALREADY_EXISTS(61, false),
    /** The password is not acceptable (empty, or longer than 72 bytes of UTF-8). */
    INVALID_PASSWORD(62, false),
    /** The user name or password is wrong. */
    INVALID_CREDENTIAL(65, false),
    /** The session token has expired or was revoked (password changed, user dropped): log in again. */
    EXPIRED_SESSION(66, false),
    /** The role does not exist, or may not be granted for a namespace or set. */
    INVALID_ROLE(70, false),
    /** The caller has not proven who it is (no certificate, or not one of a cluster node where a node must call). */
    NOT_AUTHENTICATED(80, false),
    /** The caller is known but may not do this (a node that is not a member of the cluster, a missing role). */
    ROLE_VIOLATION(81, false),
    /** The contacted node does not lead the key's Raft group; refresh the cluster map and retry there. */
    NOT_LEADER(100, true),
    /** The client lost contact with the node after sending a write: it may or may not have been applied. */
    IN_DOUBT(101, false);

    private final int code;
    private final boolean retryable;

    ResultCode(int code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    /** The wire number of this code. */
    public int code() {
        return code;
    }

    /** Whether a client may retry the operation (possibly on another node) without risking a double apply. */
    public boolean isRetryable() {
        return retryable;
    }

    /** The code for a wire number; unknown numbers map to {@link #SERVER_ERROR}, never to success. */
    public static ResultCode fromCode(int code) {
        for (ResultCode rc : values()) {
            if (rc.code == code) {
                return rc;
            }
        }
        return SERVER_ERROR;
    }
}
