package io.partita.protocol.tls;

import java.nio.file.Path;
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
    public TlsSettings {
        Objects.requireNonNull(caFile, "caFile");
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a TLS certificate needs its key and a key its certificate (cert "
                    + certFile + ", key " + keyFile + ")");
        }
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
