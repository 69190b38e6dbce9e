package io.partita.protocol.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM certificates and unencrypted PKCS#8 private keys, with errors that name the file and the fix. */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    /** Far above any real chain or key; a larger file is not what the config meant. */
    private static final long MAX_FILE_BYTES = 1 << 20;

    private PemFiles() {
    }

    /**
     * Every {@code CERTIFICATE} block of a PEM file, in order.
     *
     * @throws TlsConfigException if the file cannot be read or holds no certificate
     */
    public static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.type.equals("CERTIFICATE")) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (CertificateException e) {
            throw new TlsConfigException(file + ": not a valid PEM certificate (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) {
            throw new TlsConfigException(file + ": no certificate in it (expected a PEM file with -----BEGIN "
                    + "CERTIFICATE-----)");
        }
        return out;
    }

    /**
     * The one private key of a PEM file: an unencrypted PKCS#8 {@code PRIVATE KEY} block (RSA or EC).
     *
     * @throws TlsConfigException if the file cannot be read or holds no such key
     */
    public static PrivateKey privateKey(Path file) {
        for (Block b : blocks(file)) {
            switch (b.type) {
                case "PRIVATE KEY" -> {
                    return decode(file, b.der);
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new TlsConfigException(file + ": the key is in "
                        + "the old " + b.type.split(" ")[0] + " form; convert it to PKCS#8 with 'openssl pkcs8 -topk8 "
                        + "-nocrypt -in " + file + " -out NEW_FILE'");
                case "ENCRYPTED PRIVATE KEY" -> throw new TlsConfigException(file + ": the key is encrypted; "
                        + "Partita reads unencrypted keys (protect the file with its permissions instead): 'openssl "
                        + "pkcs8 -topk8 -nocrypt -in " + file + " -out NEW_FILE'");
                default -> {
                }
            }
        }
        throw new TlsConfigException(file + ": no private key in it (expected -----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey decode(Path file, byte[] der) {
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new TlsConfigException(file + ": the private key is neither EC, RSA nor Ed25519, or is damaged");
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new TlsConfigException(file + ": larger than 1 MiB; not a PEM certificate or key");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new TlsConfigException(file + ": no such file", e);
        } catch (IOException e) {
            throw new TlsConfigException(file + ": cannot read (" + e + ")", e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new TlsConfigException(file + ": damaged PEM block " + m.group(1), e);
            }
        }
        return out;
    }
}
