package io.partita.raft.statemachine;

import com.google.protobuf.InvalidProtocolBufferException;
import io.partita.engine.storage.AppliedPosition;
import io.partita.engine.storage.GroupStore;
import io.partita.engine.storage.NodeStore;
import io.partita.engine.write.WriteOutcome;
import io.partita.raft.command.CommandCodec;
import io.partita.raft.command.WriteCommands;
import io.partita.raft.command.proto.CommandBatch;
import io.partita.raft.command.proto.ReadQuery;
import io.partita.raft.command.proto.ReadResult;
import io.partita.raft.group.GroupClock;
import io.partita.raft.snapshot.GroupSnapshots;
import io.partita.raft.snapshot.NoSnapshotException;
import io.partita.raft.snapshot.SnapshotLease;
import io.partita.raft.snapshot.SnapshotSource;
import io.partita.snapshot.group.StoredSnapshot;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Raft group's state machine: applies LZ4-compressed command batches into the group's RocksDB column family and
 * answers linearizable point reads.
 *
 * <p>Replay safety: the (term, index) of the last applied entry is written in the same RocksDB batch as its data.
 * Entries at or below it are skipped, so Ratis may replay the log from any earlier point (after a restart or a
 * crash that lost the RocksDB tail) and each entry still takes effect exactly once.
 *
 * <p>Group time: each entry is applied at {@code max(its leader's stamp, the time of the entries before it)}, kept
 * with the applied position ({@link AppliedPosition#timeMs()}), so time never runs backwards inside a group whatever
 * the leaders' clocks do, and every replica applies an entry at the same time.
 *
 * <p>Snapshots ({@link GroupSnapshots}): SST exports of the column family in the group's Ratis state-machine
 * directory, taken when Ratis asks (every {@code raft.snapshot-every-entries} entries) so it can purge the log. A
 * follower the leader can no longer feed from its log is notified by Ratis (install-snapshot notification mode) and
 * fetches the leader's latest snapshot itself through a {@link SnapshotSource}, rate-limited by the node.
 */
public final class PartitaStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(PartitaStateMachine.class);

    private final int groupIndex;
    private final NodeStore nodeStore;
    private final GroupClock clock;
    private final SnapshotSource snapshotSource;
    private final AtomicLong installedSnapshots = new AtomicLong();
    private final AtomicLong installsStarted = new AtomicLong();
    private final AtomicLong takenSnapshots = new AtomicLong();
    private volatile long latestSnapshotBytes;
    private volatile boolean installing;
    private volatile boolean taking;
    private volatile GroupStore store;
    private volatile GroupSnapshots snapshots;
    private volatile SnapshotInfo latestSnapshot;
    /** Highest index already reflected in RocksDB when this state machine (re)started. */
    private volatile long durableAppliedIndex = -1;
    /**
     * The group's time after the last applied entry: the maximum of the leaders' stamps so far, from the log only,
     * so every replica agrees. Only the apply thread (and load, while Ratis applies nothing) writes it.
     */
    private volatile long groupTimeMs;
    /** Why applying stopped (see {@link #failure()}), or null. */
    private volatile String failure;

    /**
     * @param clock the group's clock on this node: told each applied time, and used to judge expiry at reads
     */
    public PartitaStateMachine(int groupIndex, NodeStore nodeStore, GroupClock clock, SnapshotSource snapshotSource) {
        this.groupIndex = groupIndex;
        this.nodeStore = nodeStore;
        this.clock = clock;
        this.snapshotSource = snapshotSource;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            // Inside Ratis's sm/ directory: notification-mode installs never replace it (file-chunk installs would).
            snapshots = new GroupSnapshots(groupIndex,
                    raftStorage.getStorageDir().getStateMachineDir().toPath().resolve("partita-snapshots"));
            if (load() && latestSnapshot != null) {
                discardLogBefore(raftStorage.getStorageDir().getCurrentDir().toPath(), latestSnapshot.getIndex());
            }
        });
    }

    /**
     * After finishing an install a crash interrupted: the local Raft log still ends where it ended before the
     * install, below the snapshot (the leader sent the snapshot because it no longer had what came next). A
     * completed install has Ratis drop those segments; here Ratis has not opened the log yet, so the stale segments
     * are removed before it does, or the leader's next entry (snapshot index + 1) would not fit after them. The
     * term and vote ({@code raft-meta}) are kept.
     */
    private void discardLogBefore(Path currentDir, long snapshotIndex) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(currentDir, "log_*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean stale;
                if (name.startsWith("log_inprogress_")) {
                    stale = Long.parseLong(name.substring("log_inprogress_".length())) <= snapshotIndex;
                } else {
                    stale = Long.parseLong(name.substring(name.indexOf('-') + 1)) <= snapshotIndex;
                }
                if (stale) {
                    LOG.warn("Group {}: removing log segment {}, older than the re-installed snapshot at {}",
                            groupIndex, name, snapshotIndex);
                    Files.delete(f);
                }
            }
        } catch (NumberFormatException e) {
            throw new IOException("group " + groupIndex + ": unexpected log file name in " + currentDir, e);
        }
    }

    /**
     * Loads the group's store, finishing an interrupted install first; true if it finished one whose snapshot is
     * ahead of what the family had applied (the local log may then end below the snapshot).
     */
    private boolean load() throws IOException {
        store = nodeStore.group(groupIndex);
        // A family marked as being replaced may have had entries applied on top of it (a failed ingest, then a log
        // tail from a leader); up to there the local log holds those entries, which replay after the snapshot.
        long appliedBefore = store.appliedPosition().index();
        boolean redone = snapshots.recover(store)
                && snapshots.latest().map(s -> s.manifest().index() > appliedBefore).orElse(false);
        AppliedPosition position = store.appliedPosition();
        // Not reported to Ratis as applied: Ratis replays the log from its latest snapshot (or the log's start),
        // and its applied index may only move forward, so replayed entries up to this index are acknowledged and
        // skipped. After an install this jumps to the snapshot's index.
        durableAppliedIndex = position.index();
        groupTimeMs = position.timeMs();
        clock.applied(groupTimeMs);
        Optional<StoredSnapshot> latest = snapshots.latest();
        latestSnapshot = latest.map(PartitaStateMachine::info).orElse(null);
        if (latestSnapshot != null) {
            setLastAppliedTermIndex(latestSnapshot.getTermIndex());
        }
        LOG.info("Group {} state machine loaded at applied index {} (latest snapshot {})", groupIndex,
                position.index(), latestSnapshot == null ? "none" : latestSnapshot.getIndex());
        return redone;
    }

    private static SnapshotInfo info(StoredSnapshot s) {
        List<FileInfo> files = s.dataFiles().stream().map(f -> new FileInfo(f, null)).toList();
        return new FileListSnapshotInfo(files, s.manifest().term(), s.manifest().index());
    }

    @Override
    public void pause() {
        // Ratis requires RUNNING -> PAUSING -> PAUSED before a snapshot install, then reinitialize() back to RUNNING.
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        getLifeCycle().transition(LifeCycle.State.STARTING);
        load();
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return latestSnapshot;
    }

    /**
     * Exports the column family at the applied position. Ratis calls this on the apply thread, between entries, so
     * the export, read from one RocksDB snapshot with the applied position inside it, is exactly Ratis's applied
     * state; the family is flushed first, so RocksDB durably holds what the snapshot (and thus the purged log)
     * covers.
     */
    @Override
    public long takeSnapshot() throws IOException {
        if (store.replacing()) {
            // An install cleared the family and has not ingested yet: it holds part of the group at best, and a
            // snapshot of it would be served to other replicas as the group.
            LOG.warn("Group {}: no snapshot while the column family is being replaced by an install", groupIndex);
            return latestSnapshot == null ? RaftLog.INVALID_LOG_INDEX : latestSnapshot.getIndex();
        }
        TermIndex applied = getLastAppliedTermIndex();
        long stored = store.appliedPosition().index();
        if (stored != applied.getIndex()) {
            // Replaying entries already in RocksDB (stored ahead of Ratis): Ratis forbids a snapshot beyond its
            // applied index, and one is due again after the replay.
            LOG.debug("Group {}: no snapshot while replaying (stored {}, applied {})", groupIndex, stored, applied);
            return latestSnapshot == null ? RaftLog.INVALID_LOG_INDEX : latestSnapshot.getIndex();
        }
        StoredSnapshot s;
        taking = true; // the apply thread exports instead of applying: not a stall
        try {
            s = snapshots.take(store);
        } finally {
            taking = false;
        }
        latestSnapshot = info(s);
        takenSnapshots.incrementAndGet();
        latestSnapshotBytes = s.manifest().byteSize();
        return s.manifest().index();
    }

    /**
     * Ratis in notification mode: the leader purged the log entries this follower needs. Fetch the leader's latest
     * snapshot (off Ratis's threads: it may take long, rate-limited), install it, and report its position; Ratis then
     * pauses and reinitializes this state machine, which reloads at that position.
     */
    @Override
    public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(RoleInfoProto roleInfo,
                                                                         TermIndex firstTermIndexInLog) {
        String leader = roleInfo.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8();
        LOG.info("Group {}: leader {} no longer has log index {} this replica needs; fetching its snapshot",
                groupIndex, leader, firstTermIndexInLog.getIndex());
        CompletableFuture<TermIndex> result = new CompletableFuture<>();
        // Set before the fetch starts (not on the new thread), so a reader that sees no install also sees the count
        // that any later install changes.
        installing = true;
        installsStarted.incrementAndGet();
        Thread t = new Thread(() -> {
            try {
                StoredSnapshot s = snapshots.install(store, snapshotSource, leader);
                if (s.manifest().index() < firstTermIndexInLog.getIndex() - 1) {
                    throw new IOException("group " + groupIndex + ": snapshot " + s.manifest().index() + " from "
                            + leader + " ends before its log starts (" + firstTermIndexInLog.getIndex() + ")");
                }
                latestSnapshot = info(s);
                latestSnapshotBytes = s.manifest().byteSize();
                installedSnapshots.incrementAndGet();
                result.complete(TermIndex.valueOf(s.manifest().term(), s.manifest().index()));
            } catch (NoSnapshotException e) {
                // The leader never purged its log (no snapshot yet): answering "no snapshot" makes it send the log
                // from the start, as to any new replica (e.g. one that lost its data and was re-admitted).
                LOG.info("Group {}: leader {} has no snapshot yet; catching up from its log", groupIndex, leader);
                result.complete(null);
            } catch (IOException | RuntimeException e) {
                // Ratis notifies again on the leader's next heartbeat, so a failed fetch is retried.
                LOG.warn("Group {}: snapshot install from {} failed: {}", groupIndex, leader, e.toString());
                result.completeExceptionally(e);
            } finally {
                installing = false;
            }
        }, "partita-install-group-" + groupIndex);
        t.setDaemon(true);
        t.start();
        return result;
    }

    /**
     * Entries without state-machine data (configuration changes, a new leader's first entry) also advance the
     * applied position in RocksDB, so the stored position always equals Ratis's applied index and a snapshot can
     * be taken right after them.
     */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        try {
            if (index > durableAppliedIndex && index > store.appliedPosition().index()) {
                store.advance(new AppliedPosition(term, index, groupTimeMs));
            }
        } catch (RuntimeException e) {
            throw failed(index, e); // as in applyTransaction: Ratis then stops applying and closes the replica
        }
        super.notifyTermIndexUpdated(term, index);
    }

    private RuntimeException failed(long index, RuntimeException e) {
        failure = "applying log entry " + index + " failed: " + e.getMessage();
        LOG.error("Group {}: applying log entry {} failed; this replica stops applying (Ratis closes it) and is"
                + " reported STOPPED until the node restarts", groupIndex, index, e);
        return e;
    }

    /**
     * Why this replica stopped applying the log (an apply threw), or empty while it applies normally. Once set it
     * stays set: Ratis closes the replica, and only a restart (a new state machine) applies again.
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Snapshots this replica installed from a leader since it started (a replica that lagged past the log). */
    public long installedSnapshots() {
        return installedSnapshots.get();
    }

    /** Snapshots this replica took itself since it started. */
    public long takenSnapshots() {
        return takenSnapshots.get();
    }

    /** Size in bytes of the latest snapshot this replica took or installed since it started (0 if none). */
    public long latestSnapshotBytes() {
        return latestSnapshotBytes;
    }

    /** Whether this replica is exporting a snapshot of its own (on the apply thread, which applies nothing then). */
    public boolean takingSnapshot() {
        return taking;
    }

    /** Whether a snapshot install from the leader is in progress. */
    public boolean installingSnapshot() {
        return installing;
    }

    /**
     * Snapshot installs started since this state machine was created. A reader that saw no install in progress and
     * finds the same count later knows no install began in between (an export checks this around opening its scan).
     */
    public long installsStarted() {
        return installsStarted.get();
    }

    /** The latest local snapshot, kept until the lease is closed (to stream it to a follower). */
    public Optional<SnapshotLease> leaseLatestSnapshot() {
        GroupSnapshots s = snapshots;
        return s == null ? Optional.empty() : s.leaseLatest();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        long term = entry.getTerm();
        if (index <= durableAppliedIndex) {
            updateLastAppliedTermIndex(term, index);
            return CompletableFuture.completedFuture(Message.EMPTY);
        }
        List<WriteOutcome> outcomes;
        long time;
        try {
            CommandBatch batch = CommandCodec.decode(
                    entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
            // Never earlier than an entry applied before: a leader whose clock is behind (failover, clock stepped
            // back) must not make expired records live again or stamp a last-update time below an earlier one.
            time = Math.max(batch.getTimestampMs(), groupTimeMs);
            outcomes = store.apply(new AppliedPosition(term, index, time), time,
                    WriteCommands.toOps(batch.getCommandsList()));
        } catch (RuntimeException e) {
            // Thrown, never returned as a failed future: Ratis's StateMachineUpdater only logs a failed future and
            // has already moved its applied index past the entry, so this replica would skip it and diverge from
            // the others. A thrown exception stops the group's apply loop before the applied index moves and closes
            // this replica (the node reports it STOPPED); after a restart the entry is applied again.
            throw failed(index, e);
        }
        groupTimeMs = time;
        clock.applied(time);
        updateLastAppliedTermIndex(term, index);
        byte[] reply = WriteCommands.toResult(outcomes).toByteArray();
        return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            ReadQuery q = ReadQuery.parseFrom(request.getContent().toByteArray());
            byte[] record = store.readEncoded(q.getNamespace(), q.getDigest().toByteArray(), clock.nowMs());
            ReadResult.Builder result = ReadResult.newBuilder();
            if (record != null) {
                result.setRecord(com.google.protobuf.UnsafeByteOperations.unsafeWrap(record));
            }
            return CompletableFuture.completedFuture(
                    Message.valueOf(UnsafeByteOperations.unsafeWrap(result.build().toByteArray())));
        } catch (InvalidProtocolBufferException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("malformed read query", e));
        }
    }

    @Override
    public void close() throws IOException {
        getLifeCycle().checkStateAndClose(() -> LOG.debug("Group {} state machine closed", groupIndex));
    }
}
