package io.partita.snapshot.backup;

import java.io.IOException;

/** Receives the records of a backup chain's final state ({@link BackupChain#forEachFinalRecord}). */
@FunctionalInterface
public interface EntryConsumer {

    /**
     * One record.
     *
     * @param namespace the record's namespace
     * @param set the record's set ("" when none)
     * @param digest the record's 20-byte digest
     * @param record the stored record encoding, as it was put
     * @throws IOException to stop the iteration
     */
    void accept(String namespace, String set, byte[] digest, byte[] record) throws IOException;
}
