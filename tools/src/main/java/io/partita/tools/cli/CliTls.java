package io.partita.tools.cli;

import io.partita.client.ClientConfig;
import io.partita.protocol.tls.ChannelFactory;
import io.partita.protocol.tls.TlsSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * TLS for every connection the {@code partita} commands make, from the environment, as {@code etcdctl} does:
 *
 * <pre>
 * export PARTITA_TLS_CA=/etc/partita/tls/ca.crt        # TLS on: trust nodes with certificates from this CA
 * export PARTITA_TLS_CERT=~/.partita/admin.crt         # and present this certificate (nodes with client-auth)
 * export PARTITA_TLS_KEY=~/.partita/admin.key
 * </pre>
 *
 * Unset {@code PARTITA_TLS_CA}: plaintext. A bad file fails the command with exit code 2 and the file's problem.
 */
public final class CliTls {
    public static final String CA = "PARTITA_TLS_CA";
    public static final String CERT = "PARTITA_TLS_CERT";
    public static final String KEY = "PARTITA_TLS_KEY";

    private CliTls() {
    }

    /** The settings the process environment gives, or null for plaintext. */
    public static TlsSettings fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * The settings {@code env} gives, or null for plaintext.
     *
     * @throws IllegalArgumentException if only one of the certificate and key is set, or either without the CA
     */
    public static TlsSettings from(Map<String, String> env) {
        String ca = blankToNull(env.get(CA));
        String cert = blankToNull(env.get(CERT));
        String key = blankToNull(env.get(KEY));
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(CERT + " and " + KEY + " go together (a client certificate and its "
                    + "key); set both or neither");
        }
        if (ca == null) {
            if (cert != null) {
                throw new IllegalArgumentException(CERT + " is set but " + CA + " is not: set " + CA + " to the "
                        + "nodes' CA certificate to connect over TLS");
            }
            return null;
        }
        TlsSettings s = TlsSettings.trusting(Path.of(ca));
        return cert == null ? s : s.withIdentity(Path.of(cert), Path.of(key));
    }

    /** Channels for the environment's settings (plaintext without them). */
    public static ChannelFactory channels() {
        return ChannelFactory.of(fromEnvironment());
    }

    /** {@code b} with the environment's TLS settings, if any. */
    public static ClientConfig.Builder apply(ClientConfig.Builder b) {
        TlsSettings s = fromEnvironment();
        if (s != null) {
            b.tls(s.caFile());
            if (s.hasIdentity()) {
                b.tlsIdentity(s.certFile(), s.keyFile());
            }
        }
        return b;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
