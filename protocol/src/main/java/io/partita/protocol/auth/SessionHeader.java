package io.partita.protocol.auth;

import io.grpc.Metadata;

/**
 * The gRPC header that carries a session token from a client to a node when the cluster runs with users and roles
 * ({@code security.enabled}). A client gets the token from {@code Users/Login} and sends it with every call; a
 * {@code Multiplex} stream sends it when it opens and a renewed one in {@code OpFrame.token}.
 *
 * <pre>{@code
 * Metadata headers = new Metadata();
 * headers.put(SessionHeader.TOKEN, token);
 * }</pre>
 */
public final class SessionHeader {
    /** {@code partita-token}: the token {@code Login} answered. */
    public static final Metadata.Key<String> TOKEN = Metadata.Key.of("partita-token", Metadata.ASCII_STRING_MARSHALLER);

    /**
     * {@code partita-result-code}: on a call a node refused for who called (gRPC {@code UNAUTHENTICATED} or
     * {@code PERMISSION_DENIED}), the result code's number, e.g. 66 for an expired session.
     */
    public static final Metadata.Key<String> RESULT_CODE = Metadata.Key.of("partita-result-code",
            Metadata.ASCII_STRING_MARSHALLER);

    private SessionHeader() {
    }
}
