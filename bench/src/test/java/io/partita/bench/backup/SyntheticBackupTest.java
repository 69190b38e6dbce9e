package io.partita.bench.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partita.client.Key;
import io.partita.engine.record.RecordCodec;
import io.partita.engine.record.StoredRecord;
import io.partita.snapshot.backup.BackupChain;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticBackupTest {
    @TempDir
    Path dir;

    @Test
    void writesTheLoadGeneratorsRecordsAsAValidBackup() throws Exception {
        SyntheticBackup.write(dir.resolve("b"), 500, 100, "test", "bench", 7);
        BackupChain chain = BackupChain.open(dir.resolve("b"));
        assertEquals(500, chain.finalRecordCount());
        Map<ByteBuffer, StoredRecord> read = new HashMap<>();
        chain.forEachFinalRecord((ns, set, digest, record) -> read.put(ByteBuffer.wrap(digest),
                RecordCodec.decode(record)));
        for (long i = 0; i < 500; i++) {
            StoredRecord r = read.get(ByteBuffer.wrap(new Key("test", "bench", i).digest()));
            assertEquals("bench", r.set());
            assertEquals(100, ((String) r.bin("bin0")).length());
        }
    }
}
