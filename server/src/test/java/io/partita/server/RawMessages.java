package io.partita.server;

import io.grpc.MethodDescriptor;
import io.partita.protocol.testing.RawBytes;

/** Calls any gRPC method with message bytes as given: for requests no client library would send. */
final class RawMessages {
    /** Message bytes, sent and received unchecked. */
    static final MethodDescriptor.Marshaller<byte[]> BYTES = RawBytes.MARSHALLER;

    private RawMessages() {
    }

    /** {@code method} with requests and responses as bytes. */
    static MethodDescriptor<byte[], byte[]> of(MethodDescriptor<?, ?> method) {
        return method.toBuilder(BYTES, BYTES).build();
    }
}
