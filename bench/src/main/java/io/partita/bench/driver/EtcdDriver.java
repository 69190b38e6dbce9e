package io.partita.bench.driver;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.options.GetOption;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.partita.bench.Workload;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drives etcd (v3 API) through jetcd. One jetcd {@link Client} for all threads: one gRPC channel with the
 * {@code round_robin} policy over the endpoints (one HTTP/2 connection per member, calls spread in turn), so that
 * every member takes requests, as the Partita client spreads them over the group leaders. A member that is not the
 * leader forwards a put to the leader and asks the leader for a read index before a read.
 *
 * <p>Keys are the workload's key names ({@code namespace/set/index}, UTF-8). A value is the put's bins concatenated
 * in bin order ({@code bins x value-size} bytes). A put is a plain {@code Put}; a get is a {@code Range} of the key
 * with {@code serializable=false}, i.e. linearizable (etcd's default).
 *
 * <p>{@code --timeout-ms} bounds each operation: the caller stops waiting after it and counts
 * {@code DEADLINE_EXCEEDED(4)}; every gRPC call carries it as its deadline, and jetcd's own retries (of a get on
 * {@code UNAVAILABLE}; of a put only on errors that say it was not applied) stop once it is spent. Failures are
 * counted under their gRPC status code, e.g. {@code UNAVAILABLE(14)}.
 */
public final class EtcdDriver implements StoreDriver<ByteSequence, ByteSequence> {

    /** How long the probe keeps trying: its first call also starts jetcd (Vert.x, the channel, the connections). */
    static final Duration PROBE_BUDGET = Duration.ofSeconds(10);

    /** Reads go through Raft's read index: they see every write acknowledged before they started. */
    static final GetOption LINEARIZABLE = GetOption.builder().withSerializable(false).build();

    private final Client client;
    private final KV kv;
    private final Workload workload;
    private final long timeoutMs;
    private final String endpoints;
    private final ByteSequence setEnd;

    /** A driver for the members at {@code hosts} ({@code host:port} of their client URLs, plain HTTP). */
    public EtcdDriver(List<String> hosts, long timeoutMs, Workload workload) {
        ClientBuilder builder = Client.builder()
            .endpoints(hosts.stream().map(h -> "http://" + h).toArray(String[]::new))
            .loadBalancerPolicy("round_robin")
            .interceptor(deadline(timeoutMs));
        // jetcd's retry back-off starts at 500 ms; a shorter budget starts it lower (the retry policy wants the
        // budget to be longer than the first delay).
        long retryDelay = Math.max(1, Math.min(builder.retryDelay(), timeoutMs / 4));
        builder.retryDelay(retryDelay);
        if (timeoutMs > retryDelay) {
            builder.retryMaxDuration(Duration.ofMillis(timeoutMs));
        }
        this.client = builder.build();
        this.kv = client.getKVClient();
        this.workload = workload;
        this.timeoutMs = timeoutMs;
        this.endpoints = String.join(",", hosts);
        // The smallest key after every "namespace/set/..." key: '/' + 1 is '0'.
        this.setEnd = ByteSequence.from(workload.namespace() + "/" + workload.set() + "0", StandardCharsets.UTF_8);
    }

    /** The report's code for a gRPC status, e.g. {@code UNAVAILABLE(14)}. */
    public static ErrorCode code(Status.Code status) {
        return new ErrorCode(status.name(), status.value());
    }

    @Override
    public ByteSequence key(long index) {
        return ByteSequence.from(workload.keyName(index), StandardCharsets.UTF_8);
    }

    @Override
    public ByteSequence value(Map<String, Object> bins) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object v : bins.values()) {
            out.writeBytes(String.valueOf(v).getBytes(StandardCharsets.UTF_8));
        }
        return ByteSequence.from(out.toByteArray());
    }

    @Override
    public void put(ByteSequence key, ByteSequence value) throws StoreException {
        await(kv.put(key, value));
    }

    @Override
    public boolean get(ByteSequence key) throws StoreException {
        return !await(kv.get(key, LINEARIZABLE)).getKvs().isEmpty();
    }

    /**
     * A linearizable {@code Range} from {@code start} to the end of the workload's set ({@code namespace/set/}
     * prefix), limited to {@code count} keys, values included. etcd orders keys as bytes, so {@code test/bench/10}
     * comes before {@code test/bench/2}: a scan reads neighbours in that order, as YCSB's scans of string keys do.
     */
    @Override
    public int scan(ByteSequence start, int count) throws StoreException {
        GetOption range = GetOption.builder().withSerializable(false).withRange(setEnd).withLimit(count).build();
        return await(kv.get(start, range)).getKvs().size();
    }

    @Override
    public String endpoints() {
        return endpoints;
    }

    /**
     * Like the default, but tries again until {@link #PROBE_BUDGET} has passed: jetcd connects on the first call,
     * which on a loaded machine can take longer than {@code --timeout-ms}. Nothing of it is measured.
     */
    @Override
    public String probe() {
        long deadline = System.nanoTime() + PROBE_BUDGET.toNanos();
        String problem = StoreDriver.super.probe();
        while (problem != null && System.nanoTime() - deadline < 0) {
            problem = StoreDriver.super.probe();
        }
        return problem;
    }

    @Override
    public void close() {
        client.close();
    }

    private <T> T await(CompletableFuture<T> call) throws StoreException {
        try {
            return call.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new StoreException(code(Status.Code.DEADLINE_EXCEEDED), "no answer within " + timeoutMs + " ms",
                e);
        } catch (ExecutionException e) {
            StoreException failure = failure(e.getCause());
            if (failure == null) {
                throw new IllegalStateException(e.getCause());
            }
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The failure {@code t} reports, counted under its gRPC status code; {@code null} if it carries none. jetcd
     * fails a call with the stub's {@code StatusRuntimeException}, or with an {@code EtcdException} whose error
     * code is the gRPC code of the same name.
     */
    static StoreException failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            Status.Code code = null;
            if (c instanceof StatusRuntimeException) {
                code = ((StatusRuntimeException) c).getStatus().getCode();
            } else if (c instanceof StatusException) {
                code = ((StatusException) c).getStatus().getCode();
            } else if (c instanceof EtcdException) {
                code = Status.Code.valueOf(((EtcdException) c).getErrorCode().name());
            }
            if (code != null) {
                return new StoreException(code(code), c.getMessage(), t);
            }
        }
        return null;
    }

    /** Gives every call a deadline of {@code timeoutMs}, so that an abandoned call does not linger. */
    private static ClientInterceptor deadline(long timeoutMs) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                          Channel next) {
                return next.newCall(method, options.withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS));
            }
        };
    }
}
