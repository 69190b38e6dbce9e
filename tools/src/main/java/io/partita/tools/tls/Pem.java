package io.partita.tools.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import io.partita.protocol.tls.PemFiles;
import io.partita.protocol.tls.TlsConfigException;
import io.partita.snapshot.io.DurableFiles;
import io.partita.snapshot.io.DurableFiles.Access;

/** PEM files: reading certificates and keys, writing them atomically with the right permissions. */
final class Pem {

    private Pem() {
    }

    /** Writes {@code cert} and {@code key} (PKCS#8, unencrypted, mode 0600): key first, each atomically. */
    static void writePair(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) throws IOException {
        byte[] certPem;
        try {
            certPem = encode("CERTIFICATE", cert.getEncoded());
        } catch (CertificateException e) {
            throw new IOException("cannot encode the certificate " + cert.getSubjectX500Principal(), e);
        }
        // The key goes first: a crash in between leaves a key without its certificate, which readers treat as
        // absent, never a certificate whose key is missing.
        write(keyFile, encode("PRIVATE KEY", key.getEncoded()), Access.OWNER_ONLY);
        write(certFile, certPem, Access.PUBLIC);
    }

    /** {@code der} as PEM of the given type, 64 characters a line. */
    static byte[] encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Replaces {@code target} with {@code content} atomically, creating missing directories; the file has the
     * permissions of {@code access} from its creation on (see {@link DurableFiles#writeAtomically(Path, byte[],
     * Access)}).
     */
    static void write(Path target, byte[] content, Access access) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        DurableFiles.writeAtomically(target, content, access);
    }

    /** The first certificate in a PEM file (read as the node reads it, {@link PemFiles}). */
    static X509Certificate readCertificate(Path file) throws CertificateFileException {
        try {
            return PemFiles.certificates(file).get(0);
        } catch (TlsConfigException e) {
            throw new CertificateFileException(e.getMessage(), e);
        }
    }

    /** The unencrypted PKCS#8 private key in a PEM file (read as the node reads it, {@link PemFiles}). */
    static PrivateKey readPrivateKey(Path file) throws CertificateFileException {
        try {
            return PemFiles.privateKey(file);
        } catch (TlsConfigException e) {
            throw new CertificateFileException(e.getMessage(), e);
        }
    }
}
