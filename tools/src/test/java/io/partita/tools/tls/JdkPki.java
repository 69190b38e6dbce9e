package io.partita.tools.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Reads the written files with the JDK alone (no BouncyCastle), the way a TLS runtime does, so the tests check the
 * files, not the code that wrote them.
 */
final class JdkPki {

    private JdkPki() {
    }

    static X509Certificate certificate(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** An unencrypted PKCS#8 PEM key: exactly one PRIVATE KEY block, base64 between the markers. */
    static PrivateKey pkcs8Key(Path pem) throws Exception {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----\n";
        String end = "-----END PRIVATE KEY-----\n";
        if (!text.startsWith(begin) || !text.endsWith(end)) {
            throw new AssertionError("not a PKCS#8 PEM key: " + text);
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin.length(), text.length() - end.length()));
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** PKIX trust in exactly one CA certificate. */
    static X509TrustManager trusting(Path caPem) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trustStore(caPem));
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }

    /** A TLS context presenting {@code certPem}/{@code keyPem} (if given) and trusting only {@code caPem}. */
    static SSLContext context(Path caPem, Path certPem, Path keyPem) throws Exception {
        KeyManagerFactory kmf = null;
        if (certPem != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = "test".toCharArray();
            keys.setKeyEntry("me", pkcs8Key(keyPem), password, new Certificate[] {certificate(certPem)});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trustStore(caPem));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore trustStore(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", certificate(caPem));
        return store;
    }
}
