package io.partita.tools.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import io.partita.protocol.tls.PemFiles;
import io.partita.protocol.tls.TlsConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PEM files: reading certificates and keys, writing them atomically with the right permissions. */
final class Pem {

    private static final Logger LOG = LoggerFactory.getLogger(Pem.class);

    /** Private keys: owner only, set when the file is created, so the key is never readable by others. */
    private static final String SECRET_MODE = "rw-------";
    private static final String PUBLIC_MODE = "rw-r--r--";

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
        write(keyFile, encode("PRIVATE KEY", key.getEncoded()), true);
        write(certFile, certPem, false);
    }

    /** {@code der} as PEM of the given type, 64 characters a line. */
    static byte[] encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Replaces {@code target} with {@code content}: a temporary file in the same directory (created with its final
     * permissions), fsynced, then renamed over the target, so readers see the old file or the whole new one.
     */
    static void write(Path target, byte[] content, boolean secret) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = createTemp(dir, target.getFileName().toString(), secret);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    private static Path createTemp(Path dir, String name, boolean secret) throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // Windows: no POSIX modes; the file inherits the directory's ACL.
            LOG.debug("{} does not support POSIX permissions; {} gets the directory's defaults", dir, name);
            return Files.createTempFile(dir, "." + name + ".", ".tmp");
        }
        FileAttribute<?> mode = PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(secret ? SECRET_MODE : PUBLIC_MODE));
        return Files.createTempFile(dir, "." + name + ".", ".tmp", mode);
    }

    /** Makes the rename durable; some platforms cannot open a directory, where this is best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
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
