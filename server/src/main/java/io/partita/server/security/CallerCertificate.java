package io.partita.server.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The certificate the caller of a gRPC call presented in its TLS handshake (already checked against the CA file by
 * the transport), for the services that ask who calls: {@link MemberGate#interceptor()} puts it into each call's
 * context, and {@link #current()} reads it inside a call.
 */
public final class CallerCertificate {
    private static final Context.Key<X509Certificate> KEY = Context.key("partita-caller-certificate");

    private CallerCertificate() {
    }

    /** The calling peer's certificate, or null for a plaintext call or a TLS caller that presented none. */
    public static X509Certificate current() {
        return KEY.get();
    }

    /** Starts {@code call} with {@code cert} (may be null) as {@link #current()}. */
    static <Q, R> ServerCall.Listener<Q> startWith(X509Certificate cert, ServerCall<Q, R> call, Metadata headers,
                                                   ServerCallHandler<Q, R> next) {
        return cert == null ? next.startCall(call, headers)
                : Contexts.interceptCall(Context.current().withValue(KEY, cert), call, headers, next);
    }

    /** The certificate the caller of {@code call} presented, or null. */
    static X509Certificate of(ServerCall<?, ?> call) {
        return of(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    }

    private static X509Certificate of(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null; // the client presented no certificate (client-auth off)
        }
    }
}
