package io.partita.tools.cli;

import io.partita.protocol.ResultCode;

/**
 * Exit codes of the {@code partita} commands. The table is repeated in {@code --help} of the record commands and in
 * {@code tools/README.md}.
 */
public final class ExitCodes {
    /** Success; for {@code exists}: the record exists. */
    public static final int OK = 0;
    /**
     * The record does not exist (get, delete, touch, update-only put), or a map operation's key does not; for
     * {@code exists}: the record is absent.
     */
    public static final int NOT_FOUND = 1;
    /** Bad command line, or a request the node refused as invalid. */
    public static final int USAGE = 2;
    /** Conflict: the record or a list/map element exists (create-only, add-unique) or the generation did not match. */
    public static final int CONFLICT = 3;
    /** The request could not complete: timeout, in doubt, no leader, node error, no node reachable. */
    public static final int UNAVAILABLE = 4;
    /**
     * The node refused the caller: not logged in, a wrong password or an ended session, or not allowed to do this
     * (NOT_AUTHENTICATED, INVALID_CREDENTIAL, EXPIRED_SESSION, ROLE_VIOLATION).
     */
    public static final int DENIED = 5;

    /** Exit-code lines for picocli's {@code exitCodeList} ("key:description"). */
    static final String HELP_0 = "0:success (exists: the record exists)";
    static final String HELP_1 = "1:not found (get/delete/touch of a missing record, ELEMENT_NOT_FOUND; exists: the "
            + "record is absent)";
    static final String HELP_2 = "2:usage error, or the node refused the request as invalid (PARAMETER_ERROR, "
            + "BIN_NAME_TOO_LONG, NAMESPACE_NOT_FOUND, RECORD_TOO_BIG, BIN_TYPE_ERROR, OP_NOT_APPLICABLE)";
    static final String HELP_3 = "3:conflict (KEY_EXISTS, GENERATION_ERROR, ELEMENT_EXISTS)";
    static final String HELP_4 = "4:could not complete (TIMEOUT, IN_DOUBT, NOT_LEADER after retries, SERVER_ERROR, "
            + "no node reachable)";

    private ExitCodes() {
    }

    /** The exit code for the outcome of a request. */
    public static int of(ResultCode code) {
        return switch (code) {
            case OK -> OK;
            case KEY_NOT_FOUND, ELEMENT_NOT_FOUND -> NOT_FOUND;
            case PARAMETER_ERROR, BIN_NAME_TOO_LONG, NAMESPACE_NOT_FOUND, RECORD_TOO_BIG, BIN_TYPE_ERROR,
                 OP_NOT_APPLICABLE, SECURITY_NOT_ENABLED, INVALID_USER, INVALID_PASSWORD, INVALID_ROLE -> USAGE;
            case KEY_EXISTS, GENERATION_ERROR, ELEMENT_EXISTS, USER_ALREADY_EXISTS -> CONFLICT;
            case TIMEOUT, IN_DOUBT, NOT_LEADER, SERVER_ERROR -> UNAVAILABLE;
            case NOT_AUTHENTICATED, ROLE_VIOLATION, INVALID_CREDENTIAL, EXPIRED_SESSION -> DENIED;
        };
    }
}
