package io.partita.protocol.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throwaway certificates for tests: a CA, and certificates it issues, written as PEM files.
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.ca(dir, "test-ca");
 * TestCertificates.Files node = ca.issue("n1", List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
 * }</pre>
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final KeyPair keys;
    private final X509Certificate cert;
    private final Path certFile;

    private TestCertificates(Path dir, KeyPair keys, X509Certificate cert, Path certFile) {
        this.dir = dir;
        this.keys = keys;
        this.cert = cert;
        this.certFile = certFile;
    }

    /** A certificate file and its key file. */
    public record Pair(Path cert, Path key) {
    }

    /** A new self-signed CA, its certificate in {@code dir/<name>.crt}. */
    public static TestCertificates ca(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        KeyPair keys = keyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate cert = sign(b, keys);
        Path certFile = dir.resolve(name + ".crt");
        writePem(certFile, cert);
        writePem(dir.resolve(name + ".key"), new JcaPKCS8Generator(keys.getPrivate(), null));
        return new TestCertificates(dir, keys, cert, certFile);
    }

    public Path certFile() {
        return certFile;
    }

    /** A certificate for server and client use, naming {@code hosts} (IP literals and DNS names), valid from now. */
    public Pair issue(String name, List<String> hosts, Duration validity) throws Exception {
        Instant now = Instant.now();
        return issue(name, hosts, now.minusSeconds(3600), now.plus(validity));
    }

    /** A client certificate: TLS client use only (not a node's), no names. */
    public Pair issueClient(String name, Duration validity) throws Exception {
        Instant now = Instant.now();
        return issue(name, List.of(), now.minusSeconds(3600), now.plus(validity), false);
    }

    /** As {@link #issue(String, List, Duration)}, valid between the given instants (expired ones for tests). */
    public Pair issue(String name, List<String> hosts, Instant notBefore, Instant notAfter) throws Exception {
        return issue(name, hosts, notBefore, notAfter, true);
    }

    private Pair issue(String name, List<String> hosts, Instant notBefore, Instant notAfter, boolean server)
            throws Exception {
        KeyPair pair = keyPair();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert, serial(), Date.from(notBefore),
                Date.from(notAfter), new X500Name("CN=" + name), pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(server
                        ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                        : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}));
        if (!hosts.isEmpty()) {
            List<GeneralName> names = new ArrayList<>();
            for (String h : hosts) {
                boolean ip = h.indexOf(':') >= 0 || h.matches("[0-9.]+");
                names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, h));
            }
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(new GeneralName[0])));
        }
        Pair out = new Pair(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
        writePem(out.cert(), sign(b, keys));
        writePem(out.key(), new JcaPKCS8Generator(pair.getPrivate(), null));
        return out;
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static void writePem(Path file, Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        Files.writeString(file, out.toString());
    }
}
