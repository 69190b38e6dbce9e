package io.partita.tools.tls;

import io.partita.protocol.tls.Certificates;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate and its private key, as {@link CertificateAuthority#issueNode} and
 * {@link CertificateAuthority#issueClient} return them:
 * <pre>{@code
 * IssuedCertificate n1 = ca.issueNode("n1", List.of("10.0.0.5", "node1.example.com"), Duration.ofDays(365));
 * n1.writeTo(dir.resolve("n1.crt"), dir.resolve("n1.key"));
 * }</pre>
 *
 * @param certificate the certificate, signed by the CA
 * @param privateKey  its private key
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {

    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /**
     * Writes the certificate as PEM ({@code -----BEGIN CERTIFICATE-----}) and the key as unencrypted PKCS#8 PEM
     * ({@code -----BEGIN PRIVATE KEY-----}, mode 0600 from its creation). Each file is written to a temporary file in
     * its directory, fsynced and renamed into place, replacing an existing file; missing directories are created.
     */
    public void writeTo(Path certFile, Path keyFile) throws IOException {
        Pem.writePair(certificate, privateKey, certFile, keyFile);
    }

    /**
     * Reads a certificate and its key written by {@link #writeTo} (or any PEM certificate and unencrypted PKCS#8 EC or RSA key).
     *
     * @throws CertificateFileException if a file is missing or unreadable, or the key is not the certificate's
     */
    public static IssuedCertificate load(Path certFile, Path keyFile) throws CertificateFileException {
        X509Certificate cert = Pem.readCertificate(certFile);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        if (!Certificates.keyMatches(key, cert)) {
            throw new CertificateFileException(keyFile, "this key does not belong to the certificate " + certFile
                    + " (" + cert.getSubjectX500Principal() + "); give the key that was written with it");
        }
        return new IssuedCertificate(cert, key);
    }

    /** The certificate's subject common name. */
    public String commonName() {
        return Keys.commonName(certificate);
    }
}
