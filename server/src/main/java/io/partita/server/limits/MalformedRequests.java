package io.partita.server.limits;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request message that does not decode (not protobuf, a truncated field, invalid UTF-8 in a string,
 * nesting beyond protobuf's limit) with {@code INVALID_ARGUMENT}. Left to gRPC, the decoding error escapes into the
 * server and the client gets {@code UNKNOWN} ("Application error processing RPC").
 *
 * <p>{@link #lenient} makes a service's request decoding yield null instead of throwing; the interceptor (installed on
 * the server builder, so that it runs before any service interceptor sees the null) refuses the call.
 */
public final class MalformedRequests implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(MalformedRequests.class);

    /**
     * The service with request decoding that yields null for a malformed message instead of throwing.
     *
     * @param service a service definition
     * @return the same handlers, with lenient request decoding
     */
    public static ServerServiceDefinition lenient(ServerServiceDefinition service) {
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            b.addMethod(lenient(m));
        }
        return b.build();
    }

    private static <Q, A> ServerMethodDefinition<Q, A> lenient(ServerMethodDefinition<Q, A> m) {
        MethodDescriptor.Marshaller<Q> strict = m.getMethodDescriptor().getRequestMarshaller();
        return ServerMethodDefinition.create(m.getMethodDescriptor().toBuilder()
                .setRequestMarshaller(new Lenient<>(strict)).build(), m.getServerCallHandler());
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        AtomicBoolean refused = new AtomicBoolean();
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            @Override
            public void onMessage(Q message) {
                if (refused.get()) {
                    return;
                }
                if (message == null) {
                    refused.set(true);
                    call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
                            + call.getMethodDescriptor().getFullMethodName() + " request message (it does not decode"
                            + " as protobuf: truncated, invalid UTF-8 in a string, or nested too deep)"),
                            new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused.get()) {
                    super.onHalfClose();
                }
            }
        };
    }

    /** Decodes as the strict marshaller does, but yields null for a malformed message. */
    private static final class Lenient<T> implements MethodDescriptor.PrototypeMarshaller<T> {
        private final MethodDescriptor.Marshaller<T> strict;

        Lenient(MethodDescriptor.Marshaller<T> strict) {
            this.strict = strict;
        }

        @Override
        public InputStream stream(T value) {
            return strict.stream(value);
        }

        @Override
        public T parse(InputStream stream) {
            try {
                return strict.parse(stream);
            } catch (RuntimeException e) {
                LOG.debug("Malformed request message: {}", e.toString());
                return null;
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public T getMessagePrototype() {
            return strict instanceof MethodDescriptor.PrototypeMarshaller<?> p ? (T) p.getMessagePrototype() : null;
        }

        @Override
        public Class<T> getMessageClass() {
            return strict instanceof MethodDescriptor.ReflectableMarshaller<?> r ? castClass(r.getMessageClass())
                    : null;
        }

        @SuppressWarnings("unchecked")
        private static <T> Class<T> castClass(Class<?> c) {
            return (Class<T>) c;
        }
    }
}
