package io.partita.server.frontend;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.partita.protocol.v1.AdminGrpc;
import io.partita.protocol.v1.PartitaGrpc;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RecordCallExecutorTest {

    private static <Q, R> ServerCall<Q, R> call(MethodDescriptor<Q, R> method) {
        return new ServerCall<>() {
            @Override
            public void request(int numMessages) {
            }

            @Override
            public void sendHeaders(Metadata headers) {
            }

            @Override
            public void sendMessage(R message) {
            }

            @Override
            public void close(Status status, Metadata trailers) {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public Attributes getAttributes() {
                return Attributes.EMPTY;
            }

            @Override
            public MethodDescriptor<Q, R> getMethodDescriptor() {
                return method;
            }
        };
    }

    @Test
    void recordOperationsRunOnTheCallingThreadAndEverythingElseOnGrpcsExecutor() {
        RecordCallExecutor calls = new RecordCallExecutor();
        for (MethodDescriptor<?, ?> m : new MethodDescriptor<?, ?>[] {PartitaGrpc.getPutMethod(),
                PartitaGrpc.getGetMethod(), PartitaGrpc.getDeleteMethod(), PartitaGrpc.getExistsMethod(),
                PartitaGrpc.getTouchMethod(), PartitaGrpc.getGetClusterMapMethod(), PartitaGrpc.getOperateMethod(),
                PartitaGrpc.getTruncateMethod(), PartitaGrpc.getMultiplexMethod()}) {
            var executor = calls.getExecutor(call(m), new Metadata());
            assertNotNull(executor, m.getFullMethodName());
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            executor.execute(() -> ranOn.set(Thread.currentThread()));
            org.junit.jupiter.api.Assertions.assertSame(Thread.currentThread(), ranOn.get(), m.getFullMethodName());
        }
        assertNull(calls.getExecutor(call(PartitaGrpc.getImportMethod()), new Metadata()));
        assertNull(calls.getExecutor(call(PartitaGrpc.getScanMethod()), new Metadata()), "a scan reads RocksDB");
        assertNull(calls.getExecutor(call(AdminGrpc.getExportGroupMethod()), new Metadata()));
    }
}
