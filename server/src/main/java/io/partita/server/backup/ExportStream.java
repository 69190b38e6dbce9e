package io.partita.server.backup;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.partita.engine.storage.GroupScan;
import io.partita.engine.storage.ScannedRecord;
import io.partita.protocol.v1.ExportGroupChunk;
import io.partita.protocol.v1.ExportedRecord;
import io.partita.server.stream.ScanPump;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one group scan down an ExportGroup call: the header, record chunks of about {@link #CHUNK_BYTES}, then the
 * totals, as fast as the reader takes them ({@link ScanPump}).
 */
public final class ExportStream extends ScanPump<ExportGroupChunk> {
    private static final Logger LOG = LoggerFactory.getLogger(ExportStream.class);
    /** Target size of a record chunk; a single larger record travels alone. */
    static final int CHUNK_BYTES = 1 << 20;

    private final ExportGroupChunk header;
    private boolean headerSent;
    private long records;
    private long bytes;

    private ExportStream(ServerCallStreamObserver<ExportGroupChunk> call, GroupScan scan, ExportGroupChunk header) {
        super(call, scan);
        this.header = header;
    }

    /**
     * Starts streaming {@code scan} on {@code call}, which takes ownership of the scan. Must be called from the
     * gRPC method handler (the ready and cancel handlers are installed here).
     */
    public static ExportStream start(ServerCallStreamObserver<ExportGroupChunk> call, GroupScan scan,
                                     ExportGroupChunk header) {
        ExportStream stream = new ExportStream(call, scan, header);
        stream.start();
        return stream;
    }

    /** Messages sent so far, the header and the final message included. */
    public long chunksSent() {
        return messagesSent();
    }

    @Override
    protected ExportGroupChunk next() {
        if (!headerSent) {
            headerSent = true;
            return header;
        }
        ExportGroupChunk.Builder chunk = ExportGroupChunk.newBuilder();
        long chunkBytes = 0;
        while (chunkBytes < CHUNK_BYTES && scan.hasNext()) {
            ScannedRecord r = scan.next();
            chunk.addRecords(ExportedRecord.newBuilder()
                    .setNamespace(r.namespace())
                    .setSet(r.set())
                    .setDigest(UnsafeByteOperations.unsafeWrap(r.digest()))
                    .setRecord(UnsafeByteOperations.unsafeWrap(r.encoded())));
            chunkBytes += r.encoded().length;
            records++;
            bytes += r.encoded().length;
        }
        return chunk.getRecordsCount() == 0 ? null : chunk.build();
    }

    @Override
    protected ExportGroupChunk last() {
        return ExportGroupChunk.newBuilder().setDone(true).setTotalRecords(records).setTotalBytes(bytes).build();
    }

    @Override
    protected Status failed(RuntimeException e) {
        LOG.error("Export of group {} failed after {} records", header.getGroup(), records, e);
        return Status.INTERNAL.withDescription("export of group " + header.getGroup() + " failed on node "
                + header.getNodeId() + " after " + records + " records: " + e.getMessage()
                + "; see the node log and retry the export");
    }

    @Override
    protected Status closedUnder() {
        return Status.UNAVAILABLE.withDescription("node " + header.getNodeId() + " closed its storage during the"
                + " export of group " + header.getGroup() + "; retry the export on a running replica");
    }

    @Override
    protected void completed() {
        LOG.info("Exported group {} at index {}: {} records, {} bytes", header.getGroup(), header.getAppliedIndex(),
                records, bytes);
    }

    @Override
    protected void cancelled() {
        LOG.info("Export of group {} cancelled by the reader after {} records", header.getGroup(), records);
    }
}
