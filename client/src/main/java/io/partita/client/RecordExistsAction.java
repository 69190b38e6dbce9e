package io.partita.client;

/** What a put does when the record already exists, or does not. */
public enum RecordExistsAction {
    /** Create the record, or merge the given bins into the existing one. */
    CREATE_OR_UPDATE(io.partita.protocol.v1.RecordExistsAction.CREATE_OR_UPDATE),
    /** Merge into an existing record; fails with KEY_NOT_FOUND if it does not exist. */
    UPDATE_ONLY(io.partita.protocol.v1.RecordExistsAction.UPDATE_ONLY),
    /** Create the record, or replace every bin of the existing one. */
    REPLACE(io.partita.protocol.v1.RecordExistsAction.REPLACE),
    /** Create the record; fails with KEY_EXISTS if it already exists. */
    CREATE_ONLY(io.partita.protocol.v1.RecordExistsAction.CREATE_ONLY);

    private final io.partita.protocol.v1.RecordExistsAction wire;

    RecordExistsAction(io.partita.protocol.v1.RecordExistsAction wire) {
        this.wire = wire;
    }

    /** The wire-protocol value of this action. */
    public io.partita.protocol.v1.RecordExistsAction toProto() {
        return wire;
    }
}
