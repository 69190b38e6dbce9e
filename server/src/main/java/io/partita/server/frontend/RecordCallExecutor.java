package io.partita.server.frontend;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.partita.protocol.v1.PartitaGrpc;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Runs the record service's handlers on the transport (Netty event loop) thread that read the request, and leaves
 * every other call on gRPC's executor. A record operation's handler never blocks: it validates, queues a write on its
 * group's writer or starts a read, and returns; the answer is sent from whichever thread completes it. Handing each
 * call to a pool thread would cost a park and a wake-up per request for nothing. Import and Scan are excluded: Import
 * validates and encodes a whole batch of records, and a Scan reads RocksDB for every chunk it sends, work that should
 * not hold up the other connections of the event loop. Admin and snapshot-transfer calls stream or wait, so they stay
 * on the pool.
 */
public final class RecordCallExecutor implements ServerCallExecutorSupplier {
    private static final Executor TRANSPORT_THREAD = Runnable::run;
    private static final Set<String> ON_THE_POOL = Set.of(PartitaGrpc.getImportMethod().getFullMethodName(),
            PartitaGrpc.getScanMethod().getFullMethodName());

    @Override
    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
        var method = call.getMethodDescriptor();
        return PartitaGrpc.SERVICE_NAME.equals(method.getServiceName())
                && !ON_THE_POOL.contains(method.getFullMethodName())
                ? TRANSPORT_THREAD : null; // null: the server's default executor
    }
}
