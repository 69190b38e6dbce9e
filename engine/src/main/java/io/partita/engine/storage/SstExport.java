package io.partita.engine.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.CompressionType;
import org.rocksdb.EnvOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.SstFileWriter;

/**
 * Writes one column family, as of a RocksDB snapshot, into SST files with {@link SstFileWriter}. RocksJava offers no
 * usable per-family checkpoint, and these files can be ingested into any family with {@code ingestExternalFile}.
 */
final class SstExport {
    private SstExport() {
    }

    static ExportedGroup export(RocksDB db, ColumnFamilyHandle family, Path dir, long maxFileBytes)
            throws RocksDBException {
        Snapshot snapshot = db.getSnapshot();
        List<Path> files = new ArrayList<>();
        long records = 0;
        try (ReadOptions read = new ReadOptions().setSnapshot(snapshot).setFillCache(false);
             RocksIterator it = db.newIterator(family, read);
             EnvOptions env = new EnvOptions();
             Options options = new Options().setCompressionType(CompressionType.LZ4_COMPRESSION)) {
            AppliedPosition position = AppliedPosition.decode(db.get(family, read, RecordKeys.APPLIED_POSITION));
            SstFileWriter writer = null;
            long bytesInFile = 0;
            try {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    if (writer == null) {
                        Path file = dir.resolve(String.format("%06d.sst", files.size() + 1));
                        writer = new SstFileWriter(env, options);
                        writer.open(file.toString());
                        files.add(file);
                        bytesInFile = 0;
                    }
                    byte[] key = it.key();
                    byte[] value = it.value();
                    writer.put(key, value);
                    bytesInFile += key.length + value.length;
                    if (!RecordKeys.isMetaKey(key)) {
                        records++;
                    }
                    if (bytesInFile >= maxFileBytes) {
                        writer.finish();
                        writer.close();
                        writer = null;
                    }
                }
                it.status();
                if (writer != null) {
                    writer.finish();
                }
            } finally {
                if (writer != null) {
                    writer.close();
                }
            }
            return new ExportedGroup(position, records, files);
        } finally {
            db.releaseSnapshot(snapshot);
        }
    }
}
