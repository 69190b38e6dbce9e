package io.partita.raft.group;

import java.util.Objects;

/**
 * The answer to a linearizable read of one key at its group's leader ({@link GroupOps#read}). Exactly one of the
 * kinds; only {@link Kind#FOUND} carries a record, only {@link Kind#UNCONFIRMED} a reason and only {@link Kind#FAILED}
 * an error.
 */
public final class ReadOutcome {
    /** What happened to the read. */
    public enum Kind {
        /** The record is live: {@link #record()} holds it in the engine's RecordCodec encoding. */
        FOUND,
        /** No live record under the key (absent or expired). */
        NOT_FOUND,
        /** This node does not lead the group (or holds no replica of it): nothing was read; ask the leader. */
        NOT_LEADER,
        /**
         * This node led the group but could not confirm it still did (e.g. it is stepping down): nothing was read,
         * so asking the new leader is safe. {@link #reason()} says why.
         */
        UNCONFIRMED,
        /** The read failed for an unexpected reason ({@link #error()}); worth logging. */
        FAILED
    }

    private static final ReadOutcome NOT_FOUND = new ReadOutcome(Kind.NOT_FOUND, null, null, null);
    private static final ReadOutcome NOT_LEADER = new ReadOutcome(Kind.NOT_LEADER, null, null, null);

    private final Kind kind;
    private final byte[] record;
    private final String reason;
    private final Throwable error;

    private ReadOutcome(Kind kind, byte[] record, String reason, Throwable error) {
        this.kind = kind;
        this.record = record;
        this.reason = reason;
        this.error = error;
    }

    /** A live record, in the engine's RecordCodec encoding. */
    public static ReadOutcome found(byte[] record) {
        return new ReadOutcome(Kind.FOUND, Objects.requireNonNull(record, "record"), null, null);
    }

    /** No live record under the key. */
    public static ReadOutcome notFound() {
        return NOT_FOUND;
    }

    /** Not read: this node does not lead the group. */
    public static ReadOutcome notLeader() {
        return NOT_LEADER;
    }

    /** Not read: leadership could not be confirmed, for {@code reason}. */
    public static ReadOutcome unconfirmed(String reason) {
        return new ReadOutcome(Kind.UNCONFIRMED, null, Objects.requireNonNull(reason, "reason"), null);
    }

    /** The read failed unexpectedly with {@code error}. */
    public static ReadOutcome failed(Throwable error) {
        return new ReadOutcome(Kind.FAILED, null, null, Objects.requireNonNull(error, "error"));
    }

    /** What happened to the read. */
    public Kind kind() {
        return kind;
    }

    /** The encoded record when {@link Kind#FOUND}, else null. Not copied: do not modify it. */
    public byte[] record() {
        return record;
    }

    /** Why leadership could not be confirmed when {@link Kind#UNCONFIRMED}, else null. */
    public String reason() {
        return reason;
    }

    /** The failure when {@link Kind#FAILED}, else null. */
    public Throwable error() {
        return error;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case FOUND -> "FOUND (" + record.length + " bytes)";
            case UNCONFIRMED -> "UNCONFIRMED (" + reason + ")";
            case FAILED -> "FAILED (" + error + ")";
            default -> kind.name();
        };
    }
}
