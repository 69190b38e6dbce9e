package io.partita.server.frontend;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.partita.engine.storage.GroupScan;
import io.partita.engine.storage.ScannedRecord;
import io.partita.protocol.v1.ScanChunk;
import io.partita.server.stream.ScanPump;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a client's scan of one group: the OK status first, then records in chunks of about {@link #CHUNK_BYTES}
 * with the partitions finished so far, then {@code done}; as fast as the reader takes them ({@link ScanPump}).
 */
final class ScanStream extends ScanPump<ScanChunk> {
    private static final Logger LOG = LoggerFactory.getLogger(ScanStream.class);
    /** Target size of a chunk (record encodings); a larger record travels alone. */
    static final int CHUNK_BYTES = 256 * 1024;

    private final int group;
    private final List<Integer> partitions;
    private final Function<ScannedRecord, io.partita.protocol.v1.ScannedRecord> convert;
    private final io.partita.protocol.v1.Status ok;
    private boolean statusSent;
    private int reportedDone;
    private long records;

    /**
     * @param partitions the scan's partitions in the order it reads them (partition order)
     * @param convert    a stored record as the client gets it (bin selection applied)
     */
    private ScanStream(ServerCallStreamObserver<ScanChunk> call, GroupScan scan, int group, List<Integer> partitions,
                       Function<ScannedRecord, io.partita.protocol.v1.ScannedRecord> convert,
                       io.partita.protocol.v1.Status ok) {
        super(call, scan);
        this.group = group;
        this.partitions = partitions;
        this.convert = convert;
        this.ok = ok;
    }

    static void start(ServerCallStreamObserver<ScanChunk> call, GroupScan scan, int group, List<Integer> partitions,
                      Function<ScannedRecord, io.partita.protocol.v1.ScannedRecord> convert,
                      io.partita.protocol.v1.Status ok) {
        new ScanStream(call, scan, group, partitions, convert, ok).start();
    }

    @Override
    protected ScanChunk next() {
        ScanChunk.Builder chunk = ScanChunk.newBuilder();
        if (!statusSent) {
            statusSent = true;
            chunk.setStatus(ok);
        }
        long bytes = 0;
        while (bytes < CHUNK_BYTES && scan.hasNext()) {
            ScannedRecord r = scan.next();
            chunk.addRecords(convert.apply(r));
            bytes += r.encoded().length;
            records++;
        }
        int done = scan.hasNext() ? scan.rangesDone() : partitions.size();
        for (; reportedDone < done; reportedDone++) {
            chunk.addPartitionsDone(partitions.get(reportedDone));
        }
        return chunk.hasStatus() || chunk.getRecordsCount() > 0 || chunk.getPartitionsDoneCount() > 0
                ? chunk.build() : null;
    }

    @Override
    protected ScanChunk last() {
        return ScanChunk.newBuilder().setDone(true).build();
    }

    @Override
    protected Status failed(RuntimeException e) {
        LOG.error("Scan of group {} failed after {} records", group, records, e);
        return Status.INTERNAL.withDescription("scan of group " + group + " failed after " + records + " records: "
                + e.getMessage() + "; see the node log; the scan can resume from its partition cursors");
    }

    @Override
    protected Status closedUnder() {
        return Status.UNAVAILABLE.withDescription("the node closed its storage during the scan of group " + group
                + "; resume the scan (its partition cursors say where)");
    }
}
