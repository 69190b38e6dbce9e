package io.partita.protocol.tls;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the PEM files of one TLS identity are: the CA certificates to trust, and optionally a certificate chain and
 * private key to present.
 *
 * <pre>{@code
 * TlsSettings tls = TlsSettings.trusting(Path.of("ca.crt"));                      // verify the node only
 * TlsSettings mtls = tls.withIdentity(Path.of("admin.crt"), Path.of("admin.key")); // and present a certificate
 * ChannelFactory channels = ChannelFactory.of(mtls);
 * }</pre>
 *
 * <p>The files are read when a {@link TlsMaterial} is made from these settings, and read again when they change.
 *
 * @param caFile   PEM certificates ({@code BEGIN CERTIFICATE}) of the CAs whose certificates are accepted
 * @param certFile PEM certificate chain to present, own certificate first; null for none
 * @param keyFile  its unencrypted PKCS#8 PEM private key ({@code BEGIN PRIVATE KEY}); null exactly when certFile is
 */
public record TlsSettings(Path caFile, Path certFile, Path keyFile) {
    /** Environment variable naming the CA file: set, the {@code partita} commands and the benchmark use TLS. */
    public static final String ENV_CA = "PARTITA_TLS_CA";
    /** Environment variable naming the client certificate file (with {@link #ENV_KEY}). */
    public static final String ENV_CERT = "PARTITA_TLS_CERT";
    /** Environment variable naming the client key file (with {@link #ENV_CERT}). */
    public static final String ENV_KEY = "PARTITA_TLS_KEY";

    public TlsSettings {
        Objects.requireNonNull(caFile, "caFile");
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a TLS certificate needs its key and a key its certificate (cert "
                    + certFile + ", key " + keyFile + ")");
        }
    }

    /**
     * The settings an environment gives, as {@code etcdctl} reads its own: {@value #ENV_CA} (TLS on), and
     * {@value #ENV_CERT} with {@value #ENV_KEY} (a client certificate); null when {@value #ENV_CA} is unset or blank.
     *
     * @throws TlsConfigException if only one of the certificate and key is set, or either without the CA
     */
    public static TlsSettings fromEnvironment(Map<String, String> env) {
        String ca = blankToNull(env.get(ENV_CA));
        String cert = blankToNull(env.get(ENV_CERT));
        String key = blankToNull(env.get(ENV_KEY));
        if ((cert == null) != (key == null)) {
            throw new TlsConfigException(ENV_CERT + " and " + ENV_KEY + " go together (a client certificate "
                    + "and its key); set both or neither");
        }
        if (ca == null) {
            if (cert != null) {
                throw new TlsConfigException(ENV_CERT + " is set but " + ENV_CA + " is not: set " + ENV_CA
                        + " to the nodes' CA certificate to connect over TLS");
            }
            return null;
        }
        TlsSettings s = trusting(Path.of(ca));
        return cert == null ? s : s.withIdentity(Path.of(cert), Path.of(key));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Settings that verify the other side against the CAs in {@code caFile} and present no certificate. */
    public static TlsSettings trusting(Path caFile) {
        return new TlsSettings(caFile, null, null);
    }

    /** These settings, presenting the certificate chain in {@code certFile} with the key in {@code keyFile}. */
    public TlsSettings withIdentity(Path certFile, Path keyFile) {
        return new TlsSettings(caFile, Objects.requireNonNull(certFile, "certFile"),
                Objects.requireNonNull(keyFile, "keyFile"));
    }

    /** Whether a certificate is presented. */
    public boolean hasIdentity() {
        return certFile != null;
    }
}
