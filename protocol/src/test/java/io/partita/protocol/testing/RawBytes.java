package io.partita.protocol.testing;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A gRPC marshaller of message bytes as given, sent and received unchecked: for requests no client would send. */
public final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    /** The one instance. */
    public static final RawBytes MARSHALLER = new RawBytes();

    private RawBytes() {
    }

    @Override
    public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
