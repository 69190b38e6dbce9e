package io.partita.protocol;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/**
 * Why a node refused an {@code ExportGroup} call because its replica of the group is not known to hold the whole
 * group at one Raft index. The refusal is an {@code UNAVAILABLE} status whose trailer {@link #TRAILER} names the
 * reason; a backup then reads the group from another replica, and never records the refused one.
 */
public enum ExportRefusal {
    /** The replica is installing a snapshot from the leader, or began one while the export opened its scan. */
    INSTALLING_SNAPSHOT,
    /** The replica is catching up: no contact with a leader yet, or far behind the leader's commit index. */
    CATCHING_UP,
    /** The replica's store holds no applied position (empty: a wiped node, or cleared by an install). */
    NO_APPLIED_POSITION,
    /** The replica's store was cleared by a snapshot install whose ingest has not completed (empty or partial). */
    BEING_REPLACED,
    /** The replica's store is behind what the replica had already applied (it lost data under the scan). */
    BEHIND_APPLIED;

    /** Trailer key of the refusal reason. */
    public static final Metadata.Key<String> TRAILER =
            Metadata.Key.of("partita-export-refused", Metadata.ASCII_STRING_MARSHALLER);

    /** The status to answer with: UNAVAILABLE, {@code description}, and this reason in the trailer. */
    public StatusRuntimeException toException(String description) {
        Metadata trailers = new Metadata();
        trailers.put(TRAILER, name());
        return Status.UNAVAILABLE.withDescription(description).asRuntimeException(trailers);
    }

    /** The refusal carried by a failed call, if it is one (unknown reasons from newer nodes count as refusals too). */
    public static Optional<String> reasonOf(StatusRuntimeException e) {
        Metadata trailers = e.getTrailers();
        return trailers == null ? Optional.empty() : Optional.ofNullable(trailers.get(TRAILER));
    }
}
