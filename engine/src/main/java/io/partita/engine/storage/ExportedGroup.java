package io.partita.engine.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link GroupStore#exportTo}: SST files holding every key of a group's column family (data and meta,
 * the applied position among them) as of one consistent RocksDB snapshot.
 *
 * @param position    the applied position read inside that snapshot, so it matches the data exactly
 * @param recordCount records exported (meta keys excluded)
 * @param files       the SST files in key order; empty if the family was empty
 */
public record ExportedGroup(AppliedPosition position, long recordCount, List<Path> files) {
    public ExportedGroup {
        files = List.copyOf(files);
    }
}
