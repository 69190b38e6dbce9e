package io.partita.tools.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
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

    /** The first certificate in a PEM file. */
    static X509Certificate readCertificate(Path file) throws CertificateFileException {
        Object first = readFirst(file, "a certificate");
        if (!(first instanceof X509CertificateHolder holder)) {
            throw new CertificateFileException(file, "expected a PEM certificate (-----BEGIN CERTIFICATE-----), "
                    + "found " + describe(first) + "; give the certificate file");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new CertificateFileException(file, "not a valid X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** The private key in a PEM file: PKCS#8 ({@code PRIVATE KEY}) or OpenSSL's {@code EC/RSA PRIVATE KEY}. */
    static PrivateKey readPrivateKey(Path file) throws CertificateFileException {
        Object first = readFirst(file, "a private key");
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (first instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (first instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (PEMException e) {
            throw new CertificateFileException(file, "unreadable private key: " + e.getMessage(), e);
        }
        if (first instanceof PKCS8EncryptedPrivateKeyInfo || first instanceof PEMEncryptedKeyPair) {
            throw new CertificateFileException(file, "the private key is encrypted; write a decrypted copy "
                    + "(openssl pkey -in KEY -out KEY.plain) and keep it mode 0600");
        }
        throw new CertificateFileException(file, "expected a PEM private key (-----BEGIN PRIVATE KEY-----), found "
                + describe(first) + "; give the key file");
    }

    private static Object readFirst(Path file, String what) throws CertificateFileException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(in)) {
            Object first = parser.readObject();
            if (first == null) {
                throw new CertificateFileException(file, "not a PEM file (no -----BEGIN ...----- block); expected "
                        + what);
            }
            return first;
        } catch (NoSuchFileException e) {
            throw new CertificateFileException(file, "no such file; expected " + what, e);
        } catch (CertificateFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // PEMParser throws IOException for a malformed block, and a decoder error for bytes that are not ASCII.
            throw new CertificateFileException(file, "not a readable PEM file (" + e.getMessage() + "); expected "
                    + what, e);
        }
    }

    private static String describe(Object pem) {
        if (pem instanceof X509CertificateHolder) {
            return "a certificate";
        }
        if (pem instanceof PrivateKeyInfo || pem instanceof PEMKeyPair || pem instanceof PKCS8EncryptedPrivateKeyInfo
                || pem instanceof PEMEncryptedKeyPair) {
            return "a private key";
        }
        return "a " + pem.getClass().getSimpleName();
    }
}
