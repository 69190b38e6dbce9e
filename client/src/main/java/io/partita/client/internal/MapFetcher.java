package io.partita.client.internal;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.partita.protocol.v1.ClusterMap;
import io.partita.protocol.v1.ClusterMapRequest;
import io.partita.protocol.v1.PartitaGrpc;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Fetches cluster maps from nodes: from one address after the other (connect), or from all at once (refresh).
 * At most one request per address is in flight: a second fetch of an address shares the first one's answer, so a
 * paused node does not pile up requests.
 */
final class MapFetcher {

    /** How long a parallel fetch waits for the other nodes after the first map arrived. */
    static final long ANSWER_GRACE_MS = 300;

    /** A map and the address that answered it. */
    record Answer(String address, ClusterMap map) {
    }

    /**
     * How a parallel fetch went by the time it completed.
     *
     * @param maps     maps received (later answers are still handed over, but not counted)
     * @param problems what each failed address said, "address -> problem"
     */
    record Round(int maps, List<String> problems) {
    }

    private final Function<String, ManagedChannel> channels;
    private final long timeoutMs;
    private final ScheduledExecutorService scheduler;
    private final Map<String, CompletableFuture<ClusterMap>> inFlight = new ConcurrentHashMap<>();

    /**
     * A fetcher.
     *
     * @param channels  the channel to an address (may throw IllegalStateException once closed)
     * @param timeoutMs deadline of each request
     * @param scheduler runs the grace timer
     */
    MapFetcher(Function<String, ManagedChannel> channels, long timeoutMs, ScheduledExecutorService scheduler) {
        this.channels = channels;
        this.timeoutMs = timeoutMs;
        this.scheduler = scheduler;
    }

    /**
     * The first valid map, asking the addresses one after the other. Fails with a
     * {@link Cluster.MapUnavailableException} listing what each address said.
     */
    CompletableFuture<Answer> fetchFirst(List<String> addresses) {
        CompletableFuture<Answer> result = new CompletableFuture<>();
        tryNext(addresses, 0, new ArrayList<>(), result, new AtomicBoolean());
        return result;
    }

    private void tryNext(List<String> addresses, int i, List<String> problems, CompletableFuture<Answer> out,
                         AtomicBoolean refused) {
        if (i == addresses.size()) {
            out.completeExceptionally(new Cluster.MapUnavailableException(String.join("; ", problems),
                refused.get()));
            return;
        }
        String address = addresses.get(i);
        fetchValid(address).whenComplete((map, err) -> {
            if (err == null) {
                out.complete(new Answer(address, map));
            } else {
                problems.add(address + " -> " + Cluster.describe(unwrap(err)));
                if (io.grpc.Status.fromThrowable(unwrap(err)).getCode() == io.grpc.Status.Code.UNAUTHENTICATED) {
                    refused.set(true);
                }
                tryNext(addresses, i + 1, problems, out, refused);
            }
        });
    }

    /**
     * Asks every address at once and hands each valid map to {@code sink} as it arrives, including answers that
     * arrive after the returned future completed. The future completes when every address answered or failed, or
     * {@link #ANSWER_GRACE_MS} after the first map arrived, whichever comes first.
     */
    CompletableFuture<Round> fetchAll(List<String> addresses, Consumer<ClusterMap> sink) {
        CompletableFuture<Round> done = new CompletableFuture<>();
        if (addresses.isEmpty()) {
            done.complete(new Round(0, List.of()));
            return done;
        }
        AtomicInteger outstanding = new AtomicInteger(addresses.size());
        AtomicInteger maps = new AtomicInteger();
        AtomicBoolean graceStarted = new AtomicBoolean();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Runnable finish = () -> {
            synchronized (problems) {
                done.complete(new Round(maps.get(), List.copyOf(problems)));
            }
        };
        for (String address : addresses) {
            fetchValid(address).whenComplete((map, err) -> {
                if (err == null) {
                    try {
                        sink.accept(map);
                    } catch (RuntimeException e) {
                        err = e;
                    }
                }
                if (err == null) {
                    maps.incrementAndGet();
                    if (graceStarted.compareAndSet(false, true)) {
                        startGrace(finish);
                    }
                } else {
                    problems.add(address + " -> " + Cluster.describe(unwrap(err)));
                }
                if (outstanding.decrementAndGet() == 0) {
                    finish.run();
                }
            });
        }
        return done;
    }

    private void startGrace(Runnable finish) {
        try {
            scheduler.schedule(finish, ANSWER_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            finish.run();
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** A map from one address that can route every partition. */
    private CompletableFuture<ClusterMap> fetchValid(String address) {
        return fetch(address).thenApply(map -> {
            RoutingTable.of(map); // throws IllegalArgumentException for a map that cannot route
            return map;
        });
    }

    private CompletableFuture<ClusterMap> fetch(String address) {
        CompletableFuture<ClusterMap> f = new CompletableFuture<>();
        CompletableFuture<ClusterMap> running = inFlight.putIfAbsent(address, f);
        if (running != null) {
            return running;
        }
        f.whenComplete((m, e) -> inFlight.remove(address, f));
        try {
            ManagedChannel ch = channels.apply(address);
            ClientCalls.asyncUnaryCall(
                ch.newCall(PartitaGrpc.getGetClusterMapMethod(),
                    CallOptions.DEFAULT.withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)),
                ClusterMapRequest.getDefaultInstance(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(ClusterMap value) {
                        f.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        f.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        f.completeExceptionally(new IllegalStateException("empty answer"));
                    }
                });
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }
}
