package io.partita.protocol.tls;

import java.net.ConnectException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Turns a failed TLS connection's cause chain into one sentence for a user. */
public final class TlsErrors {
    /** gRPC's description of a connection the other side closed without a word. */
    static final String CLOSED = "Network closed for unknown reason";

    private TlsErrors() {
    }

    /**
     * Why a connection failed on TLS, or null if the cause chain shows no TLS problem.
     *
     * <p>A certificate this side refused is described by the refusing {@link TlsMaterial} trust manager (expired,
     * another CA, another host name). A refusal by the other side arrives only as a TLS alert, so it is named as
     * one; a peer that does not speak TLS shows as a record that is not TLS. A plaintext client of a TLS node only
     * sees the connection closed before any answer, which gRPC reports as {@value #CLOSED}: that is named as the
     * likely cause.
     */
    public static String describe(Throwable failure) {
        boolean sawTls = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(CLOSED)) {
                return "the node closed the connection before answering, as a node with TLS does to a plaintext "
                        + "client: connect with its CA (ClientConfig.tls, PARTITA_TLS_CA)";
            }
            if (t instanceof CertificateException && t.getMessage() != null) {
                return t.getMessage();
            }
            String name = t.getClass().getSimpleName();
            if (name.equals("NotSslRecordException")) {
                return "the other side does not speak TLS on this port (is TLS enabled on the node?)";
            }
            // JDK engines raise SSLException; Netty's OpenSSL engine its own exception with OpenSSL's alert names.
            if (t instanceof SSLException || name.contains("OpenSsl")) {
                sawTls = true;
                String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("certificate_required")) {
                    return "the node requires a client certificate from its CA, and this side has none from "
                            + "that CA (a certificate from another CA is not even offered)";
                }
                if (m.contains("bad_certificate") || m.contains("certificate_unknown") || m.contains("unknown_ca")
                        || m.contains("certificate_expired") || m.contains("unsupported_certificate")) {
                    return "the node refused this side's certificate (" + t.getMessage() + "): it needs one from "
                            + "the node's CA that is valid now";
                }
            }
            if (t instanceof ConnectException) {
                return null;
            }
        }
        return sawTls ? "TLS handshake failed: " + failure.getMessage() : null;
    }
}
