package io.partita.server.backup;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.partita.engine.storage.GroupScan;
import io.partita.engine.storage.ScannedRecord;
import io.partita.protocol.v1.ExportGroupChunk;
import io.partita.protocol.v1.ExportedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one group scan down an ExportGroup call: the header, record chunks of about {@link #CHUNK_BYTES}, then the
 * totals. Chunks are read from the scan only while gRPC reports the call ready, so a slow reader holds the scan
 * open rather than making the node buffer the group in memory. The scan is closed when the stream ends, fails or
 * is cancelled.
 */
public final class ExportStream {
    private static final Logger LOG = LoggerFactory.getLogger(ExportStream.class);
    /** Target size of a record chunk; a single larger record travels alone. */
    static final int CHUNK_BYTES = 1 << 20;

    private final ServerCallStreamObserver<ExportGroupChunk> call;
    private final GroupScan scan;
    private final ExportGroupChunk header;
    private boolean headerSent;
    private boolean finished;
    private long records;
    private long bytes;
    private volatile long chunksSent;

    private ExportStream(ServerCallStreamObserver<ExportGroupChunk> call, GroupScan scan, ExportGroupChunk header) {
        this.call = call;
        this.scan = scan;
        this.header = header;
    }

    /**
     * Starts streaming {@code scan} on {@code call}, which takes ownership of the scan. Must be called from the
     * gRPC method handler (the ready and cancel handlers are installed here).
     */
    public static ExportStream start(ServerCallStreamObserver<ExportGroupChunk> call, GroupScan scan,
                                     ExportGroupChunk header) {
        ExportStream stream = new ExportStream(call, scan, header);
        call.setOnCancelHandler(stream::cancel);
        call.setOnReadyHandler(stream::pump);
        stream.pump();
        return stream;
    }

    /** Messages sent so far, the header and the final message included. */
    public long chunksSent() {
        return chunksSent;
    }

    private synchronized void pump() {
        try {
            while (!finished && call.isReady()) {
                if (!headerSent) {
                    send(header);
                    headerSent = true;
                    continue;
                }
                ExportGroupChunk chunk = nextChunk();
                if (chunk.getRecordsCount() > 0) {
                    send(chunk);
                }
                if (!scan.hasNext()) {
                    finish();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Export of group {} failed after {} records", header.getGroup(), records, e);
            abort(Status.INTERNAL.withDescription("export of group " + header.getGroup() + " failed on node "
                    + header.getNodeId() + " after " + records + " records: " + e.getMessage()
                    + "; see the node log and retry the export"));
        }
    }

    private ExportGroupChunk nextChunk() {
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
        return chunk.build();
    }

    private void finish() {
        if (scan.isClosed()) {
            // Closed under us (the node is shutting down): the stream is incomplete and must not end with done.
            abort(Status.UNAVAILABLE.withDescription("node " + header.getNodeId() + " closed its storage during the"
                    + " export of group " + header.getGroup() + "; retry the export on a running replica"));
            return;
        }
        send(ExportGroupChunk.newBuilder().setDone(true).setTotalRecords(records).setTotalBytes(bytes).build());
        finished = true;
        scan.close();
        call.onCompleted();
        LOG.info("Exported group {} at index {}: {} records, {} bytes", header.getGroup(), header.getAppliedIndex(),
                records, bytes);
    }

    private void send(ExportGroupChunk chunk) {
        call.onNext(chunk);
        chunksSent++;
    }

    private void abort(Status status) {
        if (finished) {
            return;
        }
        finished = true;
        scan.close();
        call.onError(status.asRuntimeException());
    }

    private synchronized void cancel() {
        if (!finished) {
            LOG.info("Export of group {} cancelled by the reader after {} records", header.getGroup(), records);
        }
        finished = true;
        scan.close();
    }
}
