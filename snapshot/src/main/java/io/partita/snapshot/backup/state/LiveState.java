package io.partita.snapshot.backup.state;

import io.partita.snapshot.backup.io.BlockCursor;
import io.partita.snapshot.backup.io.BlockFileReader;
import io.partita.snapshot.backup.io.BlockFileWriter;
import io.partita.snapshot.backup.io.CorruptFileException;
import io.partita.snapshot.backup.io.DataEntries;
import io.partita.snapshot.backup.io.FileKind;
import io.partita.snapshot.backup.io.FileStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The live records of one group: per namespace a {@link DigestTable}. Its index file holds entries
 * {@code namespace string | digest 20 bytes | record hash u64}, strictly increasing by (namespace, digest).
 */
public final class LiveState {
    private final TreeMap<String, DigestTable> tables = new TreeMap<>();

    /** The table of {@code namespace}, created when absent. */
    public DigestTable table(String namespace) {
        return tables.computeIfAbsent(namespace, ns -> new DigestTable());
    }

    /** The table of {@code namespace}, or null when it holds no record. */
    public DigestTable tableOrNull(String namespace) {
        return tables.get(namespace);
    }

    /** The tables by namespace, in namespace order. */
    public Map<String, DigestTable> tables() {
        return tables;
    }

    /** Number of records. */
    public long size() {
        long n = 0;
        for (DigestTable table : tables.values()) {
            n += table.size();
        }
        return n;
    }

    /** Sorts every table (see {@link DigestTable#sort()}). */
    public void sort() {
        tables.values().forEach(DigestTable::sort);
    }

    /**
     * Writes the sorted state as {@code group}'s index file and fsyncs it.
     *
     * @return what was written
     */
    public FileStats write(Path path, int group) throws IOException {
        sort();
        try (BlockFileWriter out = BlockFileWriter.create(path, FileKind.INDEX, group)) {
            for (Map.Entry<String, DigestTable> e : tables.entrySet()) {
                DigestTable table = e.getValue();
                for (int i = 0; i < table.size(); i++) {
                    out.writeString(e.getKey());
                    out.writeBytes(table.digestArray(), table.digestOffset(i), DataEntries.DIGEST_BYTES);
                    out.writeLong(table.hash(i));
                    out.endEntry();
                }
            }
            return out.finish();
        }
    }

    /**
     * Reads an index file to its end, checking its order.
     *
     * @param reader an opened index file
     * @return the state it holds
     * @throws CorruptFileException when it is damaged or out of order
     */
    public static LiveState read(BlockFileReader reader) throws IOException {
        LiveState state = new LiveState();
        String previous = null;
        DigestTable table = null;
        for (BlockCursor block = reader.nextBlock(true); block != null; block = reader.nextBlock(true)) {
            int n = 0;
            while (block.hasRemaining()) {
                String namespace = block.readString();
                if (!namespace.equals(previous)) {
                    if (previous != null && namespace.compareTo(previous) < 0 || state.tables.containsKey(namespace)) {
                        throw block.corrupt("namespaces out of order (" + previous + " before " + namespace + ")");
                    }
                    previous = namespace;
                    table = state.table(namespace);
                }
                int digestAt = block.position();
                block.skip(DataEntries.DIGEST_BYTES);
                table.add(block.buffer(), digestAt, block.readLong());
                n++;
            }
            block.checkFullyRead(n);
        }
        for (Map.Entry<String, DigestTable> e : state.tables.entrySet()) {
            if (!e.getValue().isStrictlySorted()) {
                throw new CorruptFileException(reader.path(), "digests of namespace " + e.getKey() + " are not in strictly increasing order");
            }
        }
        return state;
    }
}
