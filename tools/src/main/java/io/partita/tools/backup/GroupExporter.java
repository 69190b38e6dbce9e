package io.partita.tools.backup;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.partita.protocol.ExportRefusal;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.ExportGroupChunk;
import io.partita.protocol.v1.ExportGroupRequest;
import io.partita.protocol.v1.ExportedRecord;
import io.partita.snapshot.backup.BackupWriter;
import io.partita.snapshot.backup.GroupBehindParentException;
import io.partita.snapshot.backup.GroupSink;
import io.partita.snapshot.backup.GroupSummary;
import io.partita.tools.cli.AdminClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Streams one group from a node into the backup: the node reads the group from a RocksDB snapshot, so what arrives is
 * the group's state at exactly the Raft index named in the stream's header. If the node fails mid-stream, the group
 * starts over from the next replica (a restarted group discards its partial files). So does a group the node refuses
 * to export (its replica is installing a snapshot, catching up or empty) and, for an incremental backup, a group
 * whose Raft index is below the previous backup's: both would record an empty or partial group.
 */
final class GroupExporter {
    private final Channels channels;
    private final String namespace;
    private final String set;
    private final Progress progress;
    private final Duration headerTimeout;
    private final int totalGroups;

    GroupExporter(Channels channels, String namespace, String set, Progress progress, Duration headerTimeout,
                  int totalGroups) {
        this.totalGroups = totalGroups;
        this.channels = channels;
        this.namespace = namespace == null ? "" : namespace;
        this.set = set == null ? "" : set;
        this.progress = progress;
        this.headerTimeout = headerTimeout;
    }

    /**
     * Backs the group up from the first of {@code sources} that streams it completely.
     *
     * @throws BackupException naming every node tried and why it failed
     * @throws UncheckedIOException if the backup directory cannot be written (no other replica would help)
     */
    GroupSummary export(BackupWriter writer, int group, List<String> sources) {
        if (sources.isEmpty()) {
            throw new BackupException("group " + group + ": the cluster map names no node that hosts it");
        }
        List<String> problems = new ArrayList<>();
        Attempt attempt = new Attempt();
        for (String address : sources) {
            Context.CancellableContext call = Context.current().withCancellation();
            try {
                return call.call(() -> stream(writer, group, address, attempt));
            } catch (StatusRuntimeException e) {
                // A replica that may not hold the whole group refuses (ExportRefusal): nothing of it was recorded.
                problems.add(address + ": " + ExportRefusal.reasonOf(e)
                        .map(reason -> "refused to export (" + reason + "): " + e.getStatus().getDescription())
                        .orElseGet(() -> AdminClient.describe(e, headerTimeout)));
            } catch (GroupBehindParentException e) {
                problems.add(address + ": " + e.getMessage());
            } catch (BackupException e) {
                problems.add(address + ": " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new BackupException("group " + group + ": " + e.getMessage(), e);
            } finally {
                call.cancel(null);
                // What the failed attempt counted will be counted again by the next one.
                progress.add(-attempt.records, -attempt.bytes);
                attempt.records = 0;
                attempt.bytes = 0;
            }
        }
        throw new BackupException("group " + group + " could not be read from any replica: "
                + String.join("; ", problems));
    }

    private GroupSummary stream(BackupWriter writer, int group, String address, Attempt attempt)
            throws IOException {
        ExportGroupRequest request = ExportGroupRequest.newBuilder()
                .setGroup(group).setNamespace(namespace).setSet(set).build();
        Iterator<ExportGroupChunk> chunks = AdminGrpc.newBlockingStub(channels.get(address)).exportGroup(request);
        ExportGroupChunk header = chunks.next();
        if (!attempt.counted) {
            progress.groupStarted(header.getEstimatedRecords(), totalGroups);
            attempt.counted = true;
        }
        // Closing an unfinished sink discards the group's partial files, so the next replica starts clean.
        try (GroupSink sink = writer.openGroup(group, header.getTerm(), header.getAppliedIndex())) {
            return copy(sink, group, chunks, attempt);
        }
    }

    private GroupSummary copy(GroupSink sink, int group, Iterator<ExportGroupChunk> chunks, Attempt attempt)
            throws IOException {
        while (chunks.hasNext()) {
            ExportGroupChunk chunk = chunks.next();
            long bytes = 0;
            for (ExportedRecord r : chunk.getRecordsList()) {
                byte[] record = r.getRecord().toByteArray();
                sink.put(r.getNamespace(), r.getSet(), r.getDigest().toByteArray(), record);
                bytes += record.length;
            }
            attempt.records += chunk.getRecordsCount();
            attempt.bytes += bytes;
            progress.add(chunk.getRecordsCount(), bytes);
            if (chunk.getDone()) {
                if (chunk.getTotalRecords() != attempt.records) {
                    throw new BackupException("the stream of group " + group + " announced "
                            + chunk.getTotalRecords() + " records but carried " + attempt.records);
                }
                GroupSummary summary = sink.finish();
                attempt.records = 0; // kept: nothing to take back
                attempt.bytes = 0;
                return summary;
            }
        }
        throw new BackupException("the stream of group " + group + " ended before its last message");
    }

    /** What the current attempt has added to the progress so far, and whether the group's estimate is counted. */
    private static final class Attempt {
        long records;
        long bytes;
        boolean counted;
    }
}
