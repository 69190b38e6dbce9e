package io.partita.client;

import com.google.protobuf.ByteString;
import io.partita.client.internal.Cluster;
import io.partita.client.internal.Executor;
import io.partita.client.internal.Session;
import io.partita.client.internal.RequestKind;
import io.partita.client.internal.RoutingTable;
import io.partita.protocol.KeyDigest;
import io.partita.protocol.Limits;
import io.partita.protocol.ResultCode;
import io.partita.protocol.Values;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.tls.TlsConfigException;
import io.partita.protocol.v1.DeleteRequest;
import io.partita.protocol.v1.DeleteResponse;
import io.partita.protocol.v1.ExistsRequest;
import io.partita.protocol.v1.ExistsResponse;
import io.partita.protocol.v1.GetRequest;
import io.partita.protocol.v1.GetResponse;
import io.partita.protocol.v1.ImportOutcome;
import io.partita.protocol.v1.ImportRequest;
import io.partita.protocol.v1.ImportResponse;
import io.partita.protocol.v1.Op;
import io.partita.protocol.v1.OperateRequest;
import io.partita.protocol.v1.OperateResponse;
import io.partita.protocol.v1.PartitaGrpc;
import io.partita.protocol.v1.PutRequest;
import io.partita.protocol.v1.PutResponse;
import io.partita.protocol.v1.TouchRequest;
import io.partita.protocol.v1.TruncateRequest;
import io.partita.protocol.v1.TruncateResponse;
import io.partita.protocol.v1.TouchResponse;
import io.partita.protocol.v1.WriteOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client of a Partita cluster. Thread-safe; create one per application and {@link #close()} it at the end.
 *
 * <h2>Routing</h2>
 * At connect the client fetches the cluster map from the first seed that answers, then asks the other nodes in the
 * background. Each request goes to the leader of the key's Raft group: key digest, partition, group, leader node,
 * that node's client address ({@link ClientConfig#connectionsPerNode()} plaintext channels per address, used in
 * turn). Each node knows the leaders of the groups
 * it replicates, so the client merges the maps of all nodes: a map of a newer topology version replaces nodes,
 * partitions and replicas, and per group the leader seen in the highest Raft term wins. A refresh asks every known
 * node (the map's and the seeds) at once and waits for all of them, or 300 ms after the first answer, whichever is
 * first (a paused node does not hold it up; later answers are still merged). A daemon thread refreshes every
 * {@link ClientConfig#tendIntervalMs()}; errors that reveal a stale map, and answers from a node working with a
 * newer topology version, trigger an early refresh (at most one every 50 ms, shared by all callers).
 *
 * <h2>Replica reads</h2>
 * With {@link Policy#readMode()} {@link ReadMode#ANY_REPLICA}, get and getHeader go to the replicas of the key's
 * group in turn (rotating across calls; a failed attempt moves on to the next replica; the leader when no replica
 * address is known), and the replica answers from its local copy without confirming leadership: possibly stale,
 * never showing a write that was not applied, but possibly missing acknowledged ones.
 *
 * <h2>Time budget and retries</h2>
 * {@link Policy#timeoutMs()} bounds the whole call, retries included; each request carries the remaining budget as
 * its gRPC deadline. A retry waits {@link Policy#sleepBetweenRetriesMs()} and the map refresh it triggered.
 * <ul>
 *   <li>NOT_LEADER: the node guarantees nothing was applied; reads and writes are re-sent (to the leader the node
 *       names, which the client also remembers for the group until a map says otherwise, else per the refreshed
 *       map), at most {@link Policy#maxRetries()} times.</li>
 *   <li>No known leader for the key's group (an election is running): nothing is sent; the client polls the map
 *       until a leader appears, bounded by the time budget only, then fails with TIMEOUT (not in doubt).</li>
 *   <li>Transport failure (gRPC UNAVAILABLE): reads are re-sent, at most maxRetries times. Writes are re-sent
 *       if the connection could not even be established (nothing was sent).</li>
 *   <li>Ambiguous outcome of a write: the node answered {@link ResultCode#IN_DOUBT} (leadership changed while the
 *       write was in flight), or contact was lost after the write was sent. A write without an expected generation
 *       is never re-sent: it fails at once with IN_DOUBT and {@link PartitaException#inDoubt()} true. A
 *       compare-and-set write ({@link WritePolicy#expectedGeneration()} non-zero) cannot apply twice, so it is
 *       re-sent, at most maxRetries times: if the retry applies, the call succeeds; if it fails (GENERATION_ERROR
 *       because the first attempt did apply or another writer got there first, or KEY_NOT_FOUND because the record
 *       is gone, e.g. deleted by the first attempt of a delete), the exception carries that code with inDoubt()
 *       true and a message saying the first attempt may have been the one that applied. After an ambiguous attempt
 *       every failure is in doubt (a delete whose retry finds no record fails so rather than answering false).</li>
 *   <li>No answer within {@link Policy#attemptTimeoutMs()} (the node is paused, overloaded or cut off): a read is
 *       re-sent per a refreshed map, at most maxRetries times, so it reaches a new leader once the group has elected
 *       one instead of waiting out the budget at the old one. A compare-and-set write is re-sent the same way, as
 *       after an ambiguous outcome. Any other write keeps waiting for its answer within the budget: giving up on
 *       it would only make it in doubt sooner.</li>
 *   <li>Budget exhausted: {@link ResultCode#TIMEOUT}; in doubt if a write was in flight or an earlier attempt was
 *       ambiguous, not in doubt for reads or when every attempt of a write was refused with NOT_LEADER.</li>
 *   <li>Every other in-band code (KEY_EXISTS, GENERATION_ERROR, BIN_NAME_TOO_LONG, ...) fails at once with that
 *       code and the node's message. KEY_NOT_FOUND is a result for get (null), exists (false) and delete (false),
 *       and an error for put (UPDATE_ONLY) and touch.</li>
 *   <li>Unreachable nodes after all retries, or an unreadable answer: {@link ResultCode#SERVER_ERROR}.</li>
 * </ul>
 *
 * <h2>Sync and async</h2>
 * Each operation has an async form returning a {@link CompletableFuture} that fails with a
 * {@link PartitaException}; the sync form waits for it and throws the PartitaException. Invalid arguments
 * (null key, unsupported bin value types) throw {@link IllegalArgumentException} from either form before anything
 * is sent; a closed client throws {@link IllegalStateException}. Futures complete on client or gRPC threads:
 * do not block in their callbacks. A {@code null} policy means the configured default.
 */
public final class PartitaClient implements AutoCloseable {

    private static final RequestKind<PutRequest, PutResponse, Integer> PUT = RequestKind.of("put", true,
        PartitaGrpc.getPutMethod(), PutResponse::getStatus, PutResponse::getGeneration)
        .withMultiplex(Op.Builder::setPut, r -> r.hasPut() ? r.getPut() : null);
    private static final RequestKind<GetRequest, GetResponse, Record> GET = RequestKind.of("get", false,
        PartitaGrpc.getGetMethod(), GetResponse::getStatus, r -> toRecord(r.getRecord()))
        .withNotFoundResult(null).withReplicaReads()
        .withMultiplex(Op.Builder::setGet, r -> r.hasGet() ? r.getGet() : null);
    private static final RequestKind<DeleteRequest, DeleteResponse, Boolean> DELETE = RequestKind.of("delete", true,
        PartitaGrpc.getDeleteMethod(), DeleteResponse::getStatus, DeleteResponse::getExisted)
        .withNotFoundResult(Boolean.FALSE)
        .withMultiplex(Op.Builder::setDelete, r -> r.hasDelete() ? r.getDelete() : null);
    private static final RequestKind<ExistsRequest, ExistsResponse, Boolean> EXISTS = RequestKind.of("exists", false,
        PartitaGrpc.getExistsMethod(), ExistsResponse::getStatus, ExistsResponse::getExists)
        .withNotFoundResult(Boolean.FALSE)
        .withMultiplex(Op.Builder::setExists, r -> r.hasExists() ? r.getExists() : null);
    private static final RequestKind<TouchRequest, TouchResponse, Integer> TOUCH = RequestKind.of("touch", true,
        PartitaGrpc.getTouchMethod(), TouchResponse::getStatus, TouchResponse::getGeneration)
        .withMultiplex(Op.Builder::setTouch, r -> r.hasTouch() ? r.getTouch() : null);
    /** An operate call of reads only: a linearizable read, re-sent after a transport failure like a get. */
    private static final RequestKind<OperateRequest, OperateResponse, OperateResponse> OPERATE_READ = RequestKind.of(
        "operate", false, PartitaGrpc.getOperateMethod(), OperateResponse::getStatus, r -> r)
        .withMultiplex(Op.Builder::setOperate, r -> r.hasOperate() ? r.getOperate() : null);
    /** An operate call with a write: goes through the log once, never re-sent after an ambiguous outcome. */
    private static final RequestKind<OperateRequest, OperateResponse, OperateResponse> OPERATE_WRITE = RequestKind.of(
        "operate", true, PartitaGrpc.getOperateMethod(), OperateResponse::getStatus, r -> r)
        .withMultiplex(Op.Builder::setOperate, r -> r.hasOperate() ? r.getOperate() : null);

    /** A truncate of one group: removing the same records twice leaves the same state, so it is re-sent when ambiguous. */
    private static final RequestKind<TruncateRequest, TruncateResponse, Long> TRUNCATE = RequestKind.of("truncate",
        true, PartitaGrpc.getTruncateMethod(), TruncateResponse::getStatus, TruncateResponse::getRemoved)
        .withResendAfterAmbiguity();

    private static final RequestKind<ImportRequest, ImportResponse, ImportResult> IMPORT = RequestKind.of("import", true,
        PartitaGrpc.getImportMethod(), ImportResponse::getStatus, PartitaClient::toImportResult)
        .withResendAfterAmbiguity();
    /** Record bytes per Import request: well under the node's inbound limit (largest record + 1 MiB). */
    private static final long IMPORT_REQUEST_BYTES = 1 << 20;
    /** Records per Import request, so per-record work on the node stays bounded too. */
    private static final int IMPORT_REQUEST_RECORDS = 2000;

    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    private final ClientConfig config;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Cluster cluster;
    private final Executor executor;
    private final Session session;

    private PartitaClient(ClientConfig config) {
        this.config = config;
        int id = CLIENT_IDS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "partita-client-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        ChannelFactory channels;
        try {
            channels = ChannelFactory.of(config.tls());
        } catch (TlsConfigException e) {
            scheduler.shutdownNow();
            throw new IllegalArgumentException("TLS: " + e.getMessage(), e);
        }
        this.session = config.user() == null ? null
            : new Session(config.user(), config.password(), config.connectTimeoutMs(), scheduler);
        this.cluster = new Cluster(config.seeds(), config.connectTimeoutMs(), config.connectionsPerNode(), channels,
                scheduler, session);
        this.executor = new Executor(cluster, scheduler, config.multiplex(), session);
    }

    /**
     * Connects with default settings.
     *
     * @param seeds addresses ({@code host:port}) of one or more nodes' client listeners
     * @throws PartitaException         if no seed answers with a cluster map
     * @throws IllegalArgumentException if a seed is not {@code host:port}
     */
    public static PartitaClient connect(String... seeds) {
        return connect(ClientConfig.builder().seeds(seeds).build());
    }

    /**
     * Connects: fetches the cluster map from the first seed that answers (each seed gets
     * {@link ClientConfig#connectTimeoutMs()}), then starts the background map refresh.
     *
     * @throws PartitaException with {@link ResultCode#SERVER_ERROR} if no seed answers; the message lists what
     *                          each seed said
     */
    public static PartitaClient connect(ClientConfig config) {
        PartitaClient client = new PartitaClient(config);
        long waitMs = config.connectTimeoutMs() * config.seeds().size() + 1000;
        if (client.session != null) {
            try {
                client.session.start(client.cluster::channel, client.cluster::knownAddresses);
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }
        try {
            client.cluster.connect().get(waitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            String why = e instanceof TimeoutException ? "no answer within " + waitMs + " ms"
                : e.getCause().getMessage();
            if (e.getCause() instanceof Cluster.MapUnavailableException m && m.unauthenticated()) {
                throw new PartitaException(ResultCode.NOT_AUTHENTICATED, "The cluster refused this client [" + why
                    + "]: it runs with users and roles; log in with ClientConfig.Builder.user.", false, e.getCause());
            }
            throw new PartitaException(ResultCode.SERVER_ERROR, "Could not fetch the cluster map from any seed of "
                + config.seeds() + " [" + why + "]. Check that the seeds are host:port of running Partita nodes' "
                + "client listeners and are reachable from this host.", false, e.getCause());
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new PartitaException(ResultCode.SERVER_ERROR, "Interrupted while connecting to " + config.seeds(),
                false, e);
        }
        client.cluster.startTending(config.tendIntervalMs());
        return client;
    }

    /** The configuration this client was created with. */
    public ClientConfig config() {
        return config;
    }

    /** Version of the newest cluster map the client knows (for diagnostics). */
    public long clusterMapVersion() {
        return cluster.table().version();
    }

    // ---------------------------------------------------------------------------------------------- put

    /**
     * Writes bins with the default write policy; see {@link #put(WritePolicy, Key, Map)}.
     *
     * @return the record's new generation
     */
    public int put(Key key, Map<String, Object> bins) {
        return await(putAsync(null, key, bins));
    }

    /**
     * Writes bins: per {@link WritePolicy#existsAction()} creates, merges into or replaces the record; a
     * {@code null} value removes that bin.
     *
     * @param policy write policy, or {@code null} for the default
     * @param key    the record
     * @param bins   bin name to value ({@code Long}, {@code Integer}, {@code Double}, {@code String},
     *               {@code byte[]}, {@code Boolean}, {@code List}, {@code Map}, {@code null})
     * @return the record's new generation
     * @throws PartitaException         e.g. KEY_EXISTS (CREATE_ONLY), KEY_NOT_FOUND (UPDATE_ONLY),
     *                                  GENERATION_ERROR, BIN_NAME_TOO_LONG, RECORD_TOO_BIG, TIMEOUT, IN_DOUBT
     * @throws IllegalArgumentException for a null key or bins or an unsupported value type
     */
    public int put(WritePolicy policy, Key key, Map<String, Object> bins) {
        return await(putAsync(policy, key, bins));
    }

    /** Async {@link #put(Key, Map)}. */
    public CompletableFuture<Integer> putAsync(Key key, Map<String, Object> bins) {
        return putAsync(null, key, bins);
    }

    /** Async {@link #put(WritePolicy, Key, Map)}; the future fails with a {@link PartitaException}. */
    public CompletableFuture<Integer> putAsync(WritePolicy policy, Key key, Map<String, Object> bins) {
        requireKey(key);
        if (bins == null) {
            throw new IllegalArgumentException("bins must not be null");
        }
        WritePolicy p = writePolicy(policy);
        PutRequest request = PutRequest.newBuilder()
            .setKey(toProto(key))
            .addAllBins(Values.toProtoBins(bins))
            .setOptions(writeOptions(p))
            .build();
        return executor.execute(PUT, p, key.partitionId(), request, key);
    }

    // ---------------------------------------------------------------------------------------------- get

    /**
     * Reads all bins with the default policy.
     *
     * @return the record, or {@code null} if it does not exist
     */
    public Record get(Key key) {
        return await(getAsync(null, key));
    }

    /**
     * Reads a record.
     *
     * @param policy   read policy, or {@code null} for the default; {@link Policy#readMode()}
     *                 {@link ReadMode#ANY_REPLICA} lets any replica answer, possibly stale
     * @param key      the record
     * @param binNames bins to read; none = all bins
     * @return the record (with only the bins asked for that exist), or {@code null} if it does not exist
     * @throws PartitaException e.g. NAMESPACE_NOT_FOUND, TIMEOUT
     */
    public Record get(Policy policy, Key key, String... binNames) {
        return await(getAsync(policy, key, binNames));
    }

    /** Async {@link #get(Key)}. */
    public CompletableFuture<Record> getAsync(Key key) {
        return getAsync(null, key);
    }

    /** Async {@link #get(Policy, Key, String...)}; completes with {@code null} if the record does not exist. */
    public CompletableFuture<Record> getAsync(Policy policy, Key key, String... binNames) {
        requireKey(key);
        Policy p = readPolicy(policy);
        GetRequest.Builder b = getRequest(p, key);
        for (String name : binNames) {
            if (name == null) {
                throw new IllegalArgumentException("bin names must not be null");
            }
            b.addBinNames(name);
        }
        return executor.execute(GET, p, key.partitionId(), b.build(), key);
    }

    /**
     * Reads a record's metadata (generation, expiry, last update) without bins, with the default policy.
     *
     * @return the record with no bins, or {@code null} if it does not exist
     */
    public Record getHeader(Key key) {
        return await(getHeaderAsync(null, key));
    }

    /**
     * Reads a record's metadata without bins.
     *
     * @param policy read policy, or {@code null} for the default; {@link Policy#readMode()} applies as for get
     * @return the record with no bins, or {@code null} if it does not exist
     */
    public Record getHeader(Policy policy, Key key) {
        return await(getHeaderAsync(policy, key));
    }

    /** Async {@link #getHeader(Key)}. */
    public CompletableFuture<Record> getHeaderAsync(Key key) {
        return getHeaderAsync(null, key);
    }

    /** Async {@link #getHeader(Policy, Key)}. */
    public CompletableFuture<Record> getHeaderAsync(Policy policy, Key key) {
        requireKey(key);
        Policy p = readPolicy(policy);
        return executor.execute(GET, p, key.partitionId(), getRequest(p, key).setHeaderOnly(true).build(), key);
    }

    // ---------------------------------------------------------------------------------------------- delete

    /**
     * Deletes a record with the default write policy.
     *
     * @return whether the record existed
     */
    public boolean delete(Key key) {
        return await(deleteAsync(null, key));
    }

    /**
     * Deletes a record; {@link WritePolicy#expectedGeneration()} is honoured (GENERATION_ERROR on mismatch).
     *
     * @param policy write policy, or {@code null} for the default
     * @return whether the record existed
     */
    public boolean delete(WritePolicy policy, Key key) {
        return await(deleteAsync(policy, key));
    }

    /** Async {@link #delete(Key)}. */
    public CompletableFuture<Boolean> deleteAsync(Key key) {
        return deleteAsync(null, key);
    }

    /** Async {@link #delete(WritePolicy, Key)}. */
    public CompletableFuture<Boolean> deleteAsync(WritePolicy policy, Key key) {
        requireKey(key);
        WritePolicy p = writePolicy(policy);
        DeleteRequest request = DeleteRequest.newBuilder()
            .setKey(toProto(key))
            .setExpectedGeneration(p.expectedGeneration())
            .build();
        return executor.execute(DELETE, p, key.partitionId(), request, key);
    }

    // ---------------------------------------------------------------------------------------------- exists

    /** Whether a record exists, with the default policy. */
    public boolean exists(Key key) {
        return await(existsAsync(null, key));
    }

    /**
     * Whether a record exists. Always asks the leader (linearizable), whatever the policy's read mode.
     *
     * @param policy read policy, or {@code null} for the default
     */
    public boolean exists(Policy policy, Key key) {
        return await(existsAsync(policy, key));
    }

    /** Async {@link #exists(Key)}. */
    public CompletableFuture<Boolean> existsAsync(Key key) {
        return existsAsync(null, key);
    }

    /** Async {@link #exists(Policy, Key)}. */
    public CompletableFuture<Boolean> existsAsync(Policy policy, Key key) {
        requireKey(key);
        ExistsRequest request = ExistsRequest.newBuilder().setKey(toProto(key)).build();
        return executor.execute(EXISTS, readPolicy(policy), key.partitionId(), request, key);
    }

    // ---------------------------------------------------------------------------------------------- touch

    /**
     * Resets a record's TTL per the default write policy and bumps its generation.
     *
     * @return the new generation
     * @throws PartitaException KEY_NOT_FOUND if the record does not exist
     */
    public int touch(Key key) {
        return await(touchAsync(null, key));
    }

    /**
     * Resets a record's TTL per {@link WritePolicy#ttlSeconds()} and bumps its generation;
     * {@link WritePolicy#expectedGeneration()} is honoured, the exists action is ignored.
     *
     * @param policy write policy, or {@code null} for the default
     * @return the new generation
     * @throws PartitaException KEY_NOT_FOUND if the record does not exist, GENERATION_ERROR, TIMEOUT, IN_DOUBT
     */
    public int touch(WritePolicy policy, Key key) {
        return await(touchAsync(policy, key));
    }

    /** Async {@link #touch(Key)}. */
    public CompletableFuture<Integer> touchAsync(Key key) {
        return touchAsync(null, key);
    }

    /** Async {@link #touch(WritePolicy, Key)}. */
    public CompletableFuture<Integer> touchAsync(WritePolicy policy, Key key) {
        requireKey(key);
        WritePolicy p = writePolicy(policy);
        TouchRequest request = TouchRequest.newBuilder().setKey(toProto(key)).setOptions(writeOptions(p)).build();
        return executor.execute(TOUCH, p, key.partitionId(), request, key);
    }

    // ---------------------------------------------------------------------------------------------- operate

    /**
     * Runs several operations on one record atomically and in order (Aerospike's {@code operate}): record and bin
     * operations ({@link Operation}) and list operations ({@link ListOperation}); later operations see what earlier
     * ones did. Every operation answers, in order ({@link OperateResult#results()}).
     *
     * <p>A call with a write goes through the Raft log once, under {@code policy}: its exists action (a missing record
     * is created unless the action is update-only), expected generation and TTL apply to the call as a whole, and the
     * generation goes up by one. A call of reads only is a linearizable read (KEY_NOT_FOUND if there is no record).
     * If any operation cannot apply (BIN_TYPE_ERROR, OP_NOT_APPLICABLE, PARAMETER_ERROR, ...) the whole call fails
     * and nothing of it is applied; the exception's message names the operation.
     *
     * @param policy write policy, or {@code null} for the default
     * @throws PartitaException KEY_NOT_FOUND, KEY_EXISTS, GENERATION_ERROR, BIN_TYPE_ERROR, OP_NOT_APPLICABLE,
     *                          ELEMENT_EXISTS, RECORD_TOO_BIG, PARAMETER_ERROR, TIMEOUT, IN_DOUBT
     */
    public OperateResult operate(WritePolicy policy, Key key, Operation... operations) {
        return await(operateAsync(policy, key, operations));
    }

    /** Async {@link #operate(WritePolicy, Key, Operation...)}. */
    public CompletableFuture<OperateResult> operateAsync(WritePolicy policy, Key key, Operation... operations) {
        requireKey(key);
        requireOperations(operations);
        List<Operation> ops = List.of(operations);
        WritePolicy p = writePolicy(policy);
        OperateRequest.Builder request = OperateRequest.newBuilder().setKey(toProto(key)).setOptions(writeOptions(p));
        boolean writes = false;
        for (Operation op : ops) {
            io.partita.protocol.v1.Operation.Builder o = io.partita.protocol.v1.Operation.newBuilder()
                .setCode(op.code().wire()).setBin(op.bin());
            for (Object arg : op.args()) {
                o.addArgs(Values.toProto(arg));
            }
            request.addOperations(o);
            writes |= op.code().isWrite();
        }
        return executor.execute(writes ? OPERATE_WRITE : OPERATE_READ, p, key.partitionId(), request.build(), key)
            .thenApply(r -> new OperateResult(ops, r.getResultsList().stream().map(Values::fromProto).toList(),
                r.getGeneration(), r.getVoidTimeMs()));
    }

    // ---------------------------------------------------------------------------------------------- batch

    /**
     * Reads many records in one call (Aerospike's batch get): up to {@value Batches#MAX_KEYS} keys, sent to each
     * key's group leader, one message per node (on the Multiplex stream; see {@link ClientConfig}), each key with
     * {@code policy}'s budget and retries. A key that does not exist answers null; it never fails the batch.
     *
     * @param binNames bins to read; none = all bins
     * @return one record per key, in the order of {@code keys}, null where the record does not exist
     * @throws BatchException if a key failed otherwise (e.g. TIMEOUT); it carries every key's outcome
     */
    public Record[] get(Policy policy, Key[] keys, String... binNames) {
        BatchResults results = Batches.answered(await(getBatchAsync(policy, keys, binNames)));
        return results.records().stream().map(BatchRecord::record).toArray(Record[]::new);
    }

    /** Async batch get: every key's outcome (OK with its record, KEY_NOT_FOUND, or why it failed), in order. */
    public CompletableFuture<BatchResults> getBatchAsync(Policy policy, Key[] keys, String... binNames) {
        Policy p = readPolicy(policy);
        return Batches.run(executor, keys, key -> getAsync(p, key, binNames),
            (key, record) -> record == null ? BatchRecord.notFound(key) : BatchRecord.ok(key, record, null));
    }

    /** Batch {@link #getHeader(Policy, Key)}: generation and expiry of many records; null where absent. */
    public Record[] getHeader(Policy policy, Key[] keys) {
        Policy p = readPolicy(policy);
        BatchResults results = Batches.answered(await(Batches.run(executor, keys, key -> getHeaderAsync(p, key),
            (key, record) -> record == null ? BatchRecord.notFound(key) : BatchRecord.ok(key, record, null))));
        return results.records().stream().map(BatchRecord::record).toArray(Record[]::new);
    }

    /**
     * Batch {@link #exists(Policy, Key)}: one answer per key, in order.
     *
     * @throws BatchException if a key failed (e.g. TIMEOUT); it carries every key's outcome
     */
    public boolean[] exists(Policy policy, Key[] keys) {
        Policy p = readPolicy(policy);
        BatchResults results = Batches.answered(await(Batches.run(executor, keys, key -> existsAsync(p, key),
            (key, exists) -> exists ? BatchRecord.ok(key, null, null) : BatchRecord.notFound(key))));
        boolean[] out = new boolean[keys.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = results.records().get(i).resultCode() == ResultCode.OK;
        }
        return out;
    }

    /**
     * Deletes many records (Aerospike's batch delete), each under {@code policy} (its expected generation applies to
     * every key). Every key has its own outcome: OK when a record was deleted, KEY_NOT_FOUND when there was none,
     * or why it failed (with {@link BatchRecord#inDoubt()} when it may have been applied).
     */
    public BatchResults delete(WritePolicy policy, Key[] keys) {
        return await(deleteAsync(policy, keys));
    }

    /** Async {@link #delete(WritePolicy, Key[])}. */
    public CompletableFuture<BatchResults> deleteAsync(WritePolicy policy, Key[] keys) {
        WritePolicy p = writePolicy(policy);
        return Batches.run(executor, keys, key -> deleteAsync(p, key),
            (key, existed) -> existed ? BatchRecord.ok(key, null, null) : BatchRecord.notFound(key));
    }

    /**
     * Runs the same operations on many records (Aerospike's batch operate), each key atomically as
     * {@link #operate(WritePolicy, Key, Operation...)} does, under {@code policy}. Every key has its own outcome:
     * OK with its {@link BatchRecord#operateResult()}, or why it failed (KEY_NOT_FOUND for a read-only call on a
     * missing record; in doubt when a write may have been applied).
     */
    public BatchResults operate(WritePolicy policy, Key[] keys, Operation... operations) {
        return await(operateAsync(policy, keys, operations));
    }

    /** Async {@link #operate(WritePolicy, Key[], Operation...)}. */
    public CompletableFuture<BatchResults> operateAsync(WritePolicy policy, Key[] keys, Operation... operations) {
        requireOperations(operations);
        return Batches.run(executor, keys, key -> operateAsync(policy, key, operations),
            (key, result) -> BatchRecord.ok(key, null, result));
    }

    // ---------------------------------------------------------------------------------------------- scan

    /**
     * Reads every live record of the filter's partitions of a namespace (or one set of it), handing each to
     * {@code callback} on this thread (Aerospike's {@code scanPartitions}). Each group is read from its leader's
     * RocksDB snapshot, so each group's records come from one consistent point; records arrive in partition and
     * digest order and are streamed with back-pressure (the nodes never hold more than a window per stream).
     *
     * <p>The filter is the cursor: a scan that stops, by {@link ScanPolicy#maxRecords()}, an exception from the
     * callback, or a failure that outlasts {@link ScanPolicy#timeoutMs()}, resumes where it stopped when called again
     * with the same filter, without duplicates or gaps; {@link PartitionFilter#isDone()} says when all is read. A node
     * lost mid-scan is ridden through by asking the group's new leader to continue from the cursors.
     *
     * @param policy   limits, or null for {@link ScanPolicy#DEFAULT}
     * @param set      the set, or null / {@code ""} for every set of the namespace
     * @param binNames bins to return; none = all
     * @return the number of records delivered by this call
     * @throws PartitaException NAMESPACE_NOT_FOUND, PARAMETER_ERROR, TIMEOUT (the filter holds where it stopped)
     */
    public long scanPartitions(ScanPolicy policy, PartitionFilter filter, String namespace, String set,
                               ScanCallback callback, String... binNames) {
        if (filter == null || callback == null || namespace == null || namespace.isEmpty()) {
            throw new IllegalArgumentException("a scan needs a partition filter, a callback and a namespace");
        }
        try {
            return new Scanner(cluster, policy == null ? ScanPolicy.DEFAULT : policy, filter, namespace,
                set == null ? "" : set, callback, List.of(binNames)).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PartitaException(ResultCode.TIMEOUT, "the scan was interrupted; the partition filter holds where"
                + " it stopped", false, e);
        }
    }

    // ---------------------------------------------------------------------------------------------- truncate

    /**
     * Removes every record of a namespace, or of one set of it, last updated before a time (Aerospike's truncate):
     * replicated and durable like any write, in every group of the cluster, a share of each group per Raft log entry
     * so that a large set never stalls a group. Records written during the call with a last-update time before the
     * cutoff may or may not be removed; records written after the call returns are never removed by it.
     *
     * @param policy            budget and retries of each group's request (a group whose leader moves is retried)
     * @param namespace         the namespace
     * @param set               the set, or null / {@code ""} for every set of the namespace
     * @param beforeLastUpdate  remove records last updated strictly before this time; null = before now (each
     *                          group's leader's clock when it starts); a time in the future is refused
     * @return how many records were removed
     * @throws PartitaException NAMESPACE_NOT_FOUND, PARAMETER_ERROR, TIMEOUT; after a failure some groups may have
     *                          been truncated: calling again with the same cutoff is safe
     */
    public long truncate(WritePolicy policy, String namespace, String set, Instant beforeLastUpdate) {
        return await(truncateAsync(policy, namespace, set, beforeLastUpdate));
    }

    /** Async {@link #truncate(WritePolicy, String, String, Instant)}. */
    public CompletableFuture<Long> truncateAsync(WritePolicy policy, String namespace, String set,
                                                 Instant beforeLastUpdate) {
        if (namespace == null || namespace.isEmpty()) {
            throw new IllegalArgumentException("truncate needs a namespace");
        }
        long before = beforeLastUpdate == null ? 0 : beforeLastUpdate.toEpochMilli();
        if (beforeLastUpdate != null && before <= 0) {
            throw new IllegalArgumentException("beforeLastUpdate must be after the Unix epoch, got " + beforeLastUpdate);
        }
        WritePolicy p = writePolicy(policy);
        RoutingTable table = cluster.table();
        Map<Integer, Integer> partitionOfGroup = new LinkedHashMap<>();
        for (int partition = 0; partition < Limits.PARTITION_COUNT; partition++) {
            partitionOfGroup.putIfAbsent(table.groupOf(partition), partition);
        }
        CompletableFuture<Long> total = CompletableFuture.completedFuture(0L);
        for (Map.Entry<Integer, Integer> e : partitionOfGroup.entrySet()) {
            TruncateRequest request = TruncateRequest.newBuilder().setNamespace(namespace)
                .setSet(set == null ? "" : set).setBeforeMs(before).setGroup(e.getKey()).build();
            CompletableFuture<Long> group = executor.execute(TRUNCATE, p, e.getValue(), request,
                namespace + (set == null || set.isEmpty() ? "" : "/" + set) + " in group " + e.getKey());
            total = total.thenCombine(group, Long::sum);
        }
        return total;
    }

    // ---------------------------------------------------------------------------------------------- import

    /**
     * Stores records from a backup exactly: generation, expiry, last-update time, set and bins as the export gave
     * them (see {@link ImportPolicy} for what happens to keys that have a live record). Records whose expiry has
     * passed when the node applies them are skipped and counted as expired.
     *
     * <p>The records are split by Raft group (digest, partition, group); each group's records go to its leader in
     * requests of about 1 MiB, one after another in list order, while different groups proceed in parallel. Each
     * request gets the default write policy's time budget and retries. NOT_LEADER is retried as for puts. Unlike
     * other writes, a request with an ambiguous outcome (IN_DOUBT, contact lost after sending) is re-sent: what
     * ends up stored is the same, but a record the first attempt wrote may then be counted as skipped (see
     * {@link ImportPolicy}).
     *
     * <p>A request the node refuses (PARAMETER_ERROR for a record that does not decode, RECORD_TOO_BIG,
     * NAMESPACE_NOT_FOUND) stores none of its records; other requests of the same call may have been applied. On
     * any failure the call fails with the first failure's {@link PartitaException}; importing the same records
     * again is safe.
     *
     * @param records records as exported, in any order and of any groups
     * @param policy  what to do with keys that have a live record
     * @return how many records were written and skipped, by reason
     * @throws PartitaException         e.g. PARAMETER_ERROR, RECORD_TOO_BIG, TIMEOUT, IN_DOUBT
     * @throws IllegalArgumentException for null arguments or a record whose digest is not 20 bytes
     */
    public ImportResult importRecords(List<ImportRecord> records, ImportPolicy policy) {
        return await(importRecordsAsync(null, records, policy));
    }

    /**
     * {@link #importRecords(List, ImportPolicy)} with the time budget and retries of {@code writePolicy} for each
     * request (null = the client's default write policy). Bulk loads want a budget far above the default: one
     * request carries about 1 MiB and waits for its group's log behind the others.
     */
    public ImportResult importRecords(WritePolicy writePolicy, List<ImportRecord> records, ImportPolicy policy) {
        return await(importRecordsAsync(writePolicy, records, policy));
    }

    /** Async {@link #importRecords(List, ImportPolicy)}; the future fails with a {@link PartitaException}. */
    public CompletableFuture<ImportResult> importRecordsAsync(List<ImportRecord> records, ImportPolicy policy) {
        return importRecordsAsync(null, records, policy);
    }

    /** Async {@link #importRecords(WritePolicy, List, ImportPolicy)}. */
    public CompletableFuture<ImportResult> importRecordsAsync(WritePolicy writePolicy, List<ImportRecord> records,
                                                              ImportPolicy policy) {
        if (records == null || policy == null) {
            throw new IllegalArgumentException("records and policy must not be null");
        }
        WritePolicy p = writePolicy(writePolicy);
        Map<Integer, List<ImportRecord>> byGroup = new LinkedHashMap<>();
        for (ImportRecord r : records) {
            if (r == null) {
                throw new IllegalArgumentException("records must not contain null");
            }
            byGroup.computeIfAbsent(cluster.table().groupOf(KeyDigest.partitionId(r.digest())),
                g -> new ArrayList<>()).add(r);
        }
        List<CompletableFuture<ImportResult>> groups = new ArrayList<>();
        for (Map.Entry<Integer, List<ImportRecord>> e : byGroup.entrySet()) {
            groups.add(importGroup(p, e.getKey(), e.getValue(), policy));
        }
        CompletableFuture<ImportResult> total = CompletableFuture.completedFuture(ImportResult.EMPTY);
        for (CompletableFuture<ImportResult> g : groups) {
            total = total.thenCombine(g, ImportResult::plus);
        }
        return total;
    }

    /** Sends one group's records in requests of bounded size, one after another. */
    private CompletableFuture<ImportResult> importGroup(WritePolicy p, int group, List<ImportRecord> records,
                                                       ImportPolicy policy) {
        CompletableFuture<ImportResult> chain = CompletableFuture.completedFuture(ImportResult.EMPTY);
        int from = 0;
        while (from < records.size()) {
            int to = from;
            long bytes = 0;
            while (to < records.size() && to - from < IMPORT_REQUEST_RECORDS
                && (to == from || bytes + records.get(to).record().length <= IMPORT_REQUEST_BYTES)) {
                bytes += records.get(to).record().length;
                to++;
            }
            ImportRequest request = importRequest(records.subList(from, to), policy);
            int partition = KeyDigest.partitionId(records.get(from).digest());
            String what = (to - from) + " records of group " + group;
            chain = chain.thenCompose(sofar -> executor.execute(IMPORT, p, partition, request, what)
                .thenApply(sofar::plus));
            from = to;
        }
        return chain;
    }

    private static ImportRequest importRequest(List<ImportRecord> records, ImportPolicy policy) {
        ImportRequest.Builder b = ImportRequest.newBuilder().setPolicy(policy.toProto());
        for (ImportRecord r : records) {
            b.addRecords(io.partita.protocol.v1.ImportRecord.newBuilder()
                .setNamespace(r.namespace())
                .setSet(r.set())
                .setDigest(ByteString.copyFrom(r.digest()))
                .setRecord(ByteString.copyFrom(r.record())));
        }
        return b.build();
    }

    private static ImportResult toImportResult(ImportResponse response) {
        long[] counts = new long[4];
        for (ImportOutcome o : response.getOutcomesList()) {
            switch (o) {
                case IMPORT_WRITTEN -> counts[0]++;
                case IMPORT_SKIPPED_EXISTS -> counts[1]++;
                case IMPORT_SKIPPED_GENERATION -> counts[2]++;
                case IMPORT_EXPIRED -> counts[3]++;
                default -> throw new IllegalStateException("unknown import outcome " + o);
            }
        }
        return new ImportResult(counts[0], counts[1], counts[2], counts[3]);
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    /**
     * Fails pending calls (a write in flight fails IN_DOUBT), shuts channels and threads down. Idempotent.
     */
    @Override
    public void close() {
        executor.close();
        cluster.close();
        scheduler.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private Policy readPolicy(Policy p) {
        return p == null ? config.defaultPolicy() : p;
    }

    private WritePolicy writePolicy(WritePolicy p) {
        return p == null ? config.defaultWritePolicy() : p;
    }

    private static GetRequest.Builder getRequest(Policy p, Key key) {
        return GetRequest.newBuilder().setKey(toProto(key)).setAllowReplicaRead(p.readMode() == ReadMode.ANY_REPLICA);
    }

    private static void requireOperations(Operation[] operations) {
        if (operations == null || operations.length == 0) {
            throw new IllegalArgumentException("operate needs at least one operation");
        }
        for (Operation op : operations) {
            if (op == null) {
                throw new IllegalArgumentException("operations must not be null");
            }
        }
    }

    private static void requireKey(Key key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
    }

    private static WriteOptions writeOptions(WritePolicy p) {
        return WriteOptions.newBuilder()
            .setExistsAction(p.existsAction().toProto())
            .setExpectedGeneration(p.expectedGeneration())
            .setTtlSeconds(p.ttlSeconds())
            .build();
    }

    static io.partita.protocol.v1.Key toProto(Key key) {
        io.partita.protocol.v1.Key.Builder b = io.partita.protocol.v1.Key.newBuilder()
            .setNamespace(key.namespace())
            .setSet(key.set());
        Object uk = key.rawUserKey();
        if (uk instanceof String) {
            b.setStringKey((String) uk);
        } else if (uk instanceof Long) {
            b.setLongKey((Long) uk);
        } else {
            b.setBytesKey(ByteString.copyFrom((byte[]) uk));
        }
        return b.build();
    }

    static Record toRecord(io.partita.protocol.v1.Record r) {
        return new Record(r.getGeneration(), r.getVoidTimeMs(), r.getLastUpdateMs(),
            Values.fromProtoBins(r.getBinsList()));
    }

    /** Waits for an async call and rethrows its PartitaException (wrapped to carry this thread's stack). */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof PartitaException) {
                PartitaException p = (PartitaException) cause;
                throw new PartitaException(p.resultCode(), p.getMessage(), p.inDoubt(), p);
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new PartitaException(ResultCode.SERVER_ERROR, "unexpected failure: " + cause, false, cause);
        }
    }
}
