package io.partita.tools.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate authority for a Partita cluster: it signs the node certificates (TLS server and client on the client,
 * Raft and admin ports) and the client certificates.
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.create("partita-ca", Duration.ofDays(3650));
 * ca.writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
 * ca.issueNode("n1", List.of("10.0.0.5", "node1.example.com"), Duration.ofDays(365))
 *         .writeTo(dir.resolve("n1.crt"), dir.resolve("n1.key"));
 * // later: CertificateAuthority.load(dir.resolve("ca.crt"), dir.resolve("ca.key"))
 * }</pre>
 * Keys are EC P-256, signatures SHA256withECDSA (SHA256withRSA when a loaded CA has an RSA key). Certificates start
 * one hour in the past, so that a node whose clock is a little behind accepts them at once.
 */
public final class CertificateAuthority {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthority.class);

    /** Tolerated clock skew between the machine that issues and the machines that verify. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /**
     * A new self-signed CA: CN={@code commonName}, basic constraints CA with path length 0 (it signs only node and
     * client certificates), key usage keyCertSign and cRLSign, valid from an hour ago for {@code validity}.
     */
    public static CertificateAuthority create(String commonName, Duration validity) {
        KeyPair keys = Keys.generate();
        X500Name subject = name(commonName);
        Instant now = Instant.now();
        X509Certificate cert = sign(keys.getPrivate(), new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(positive(validity))), subject, keys.getPublic()),
                keys.getPublic(), null, new BasicConstraints(0), new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign),
                null, null);
        LOG.info("Created CA {} valid until {}", commonName, cert.getNotAfter().toInstant());
        return new CertificateAuthority(cert, keys.getPrivate());
    }

    /**
     * The CA written by {@link #writeTo} (or any CA certificate in PEM with its PKCS#8, EC or RSA PEM key).
     *
     * @throws CertificateFileException if a file is missing or not PEM, the key is not the certificate's, the
     *                                  certificate is not a CA certificate, or it has expired
     */
    public static CertificateAuthority load(Path certPem, Path keyPem) throws CertificateFileException {
        IssuedCertificate pair = IssuedCertificate.load(certPem, keyPem);
        X509Certificate cert = pair.certificate();
        if (cert.getBasicConstraints() < 0) {
            throw new CertificateFileException(certPem, "not a CA certificate (no basic constraints CA=true): it "
                    + "cannot sign others; give the CA's certificate, or create a CA with 'partita tls ca'");
        }
        boolean[] usage = cert.getKeyUsage();
        if (usage != null && !usage[5]) {
            throw new CertificateFileException(certPem, "the CA certificate's key usage does not allow signing "
                    + "certificates (keyCertSign); create a CA with 'partita tls ca'");
        }
        try {
            cert.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new CertificateFileException(certPem, "the CA certificate is not valid now (valid from "
                    + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant() + "); create a new "
                    + "CA with 'partita tls ca' and issue the node and client certificates again", e);
        }
        try {
            Keys.signatureAlgorithm(pair.privateKey());
        } catch (IllegalArgumentException e) {
            throw new CertificateFileException(keyPem, e.getMessage());
        }
        return new CertificateAuthority(cert, pair.privateKey());
    }

    /**
     * A certificate for node {@code nodeId} (CN), for TLS servers and clients alike (extended key usage serverAuth
     * and clientAuth: a node accepts connections and dials its peers), naming exactly {@code hosts}: IP literals as
     * iPAddress, names as dNSName entries. List every address clients and peers dial, i.e. the node's advertise
     * address; nothing (not even localhost) is added. The certificate expires with the CA at the latest.
     *
     * @throws IllegalArgumentException if {@code hosts} is empty or holds something that is not a host (e.g. a port)
     */
    public IssuedCertificate issueNode(String nodeId, List<String> hosts, Duration validity) {
        List<String> names = SubjectAltNames.normalize(hosts);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("node " + nodeId + ": no hosts; list every address clients and "
                    + "peers dial (the node's advertise address)");
        }
        return issue(nodeId, validity, KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
                SubjectAltNames.of(names));
    }

    /** A client certificate: extended key usage clientAuth only, CN={@code name}, no subject alternative names. */
    public IssuedCertificate issueClient(String name, Duration validity) {
        return issue(name, validity, KeyUsage.digitalSignature, new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth},
                null);
    }

    /** The CA certificate, the one file nodes and clients need to trust what this CA issues. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Writes the certificate and key the way {@link IssuedCertificate#writeTo} does (the key mode 0600). */
    public void writeTo(Path certFile, Path keyFile) throws IOException {
        Pem.writePair(certificate, privateKey, certFile, keyFile);
    }

    /** The one issuing routine: a fresh key pair, a leaf certificate signed by this CA. */
    private IssuedCertificate issue(String commonName, Duration validity, int keyUsage, KeyPurposeId[] purposes,
                                    GeneralNames sans) {
        KeyPair keys = Keys.generate();
        Instant now = Instant.now();
        Instant notAfter = now.plus(positive(validity));
        Instant caExpiry = certificate.getNotAfter().toInstant();
        if (notAfter.isAfter(caExpiry)) {
            // Past the CA's expiry the chain no longer verifies, so a longer validity would only mislead.
            LOG.warn("Certificate {} would outlive its CA; it expires with the CA at {}", commonName, caExpiry);
            notAfter = caExpiry;
        }
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                Date.from(now.minus(BACKDATE)), Date.from(notAfter), name(commonName), keys.getPublic());
        X509Certificate cert = sign(privateKey, builder, keys.getPublic(), certificate,
                new BasicConstraints(false), new KeyUsage(keyUsage), new ExtendedKeyUsage(purposes), sans);
        LOG.debug("Issued {} until {}", cert.getSubjectX500Principal(), notAfter);
        return new IssuedCertificate(cert, keys.getPrivate());
    }

    /** Adds the extensions (those given as null are left out; no issuer: self-signed) and signs. */
    private static X509Certificate sign(PrivateKey signer, X509v3CertificateBuilder builder, PublicKey subjectKey,
                                        X509Certificate issuer, BasicConstraints constraints, KeyUsage usage,
                                        ExtendedKeyUsage extendedUsage, GeneralNames sans) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, constraints);
            builder.addExtension(Extension.keyUsage, true, usage);
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            if (issuer != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId(ext, issuer));
            }
            if (extendedUsage != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, extendedUsage);
            }
            if (sans != null) {
                // Critical only when the subject is empty (RFC 5280 4.2.1.6); ours always has a CN.
                builder.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            ContentSigner contentSigner = new JcaContentSignerBuilder(Keys.signatureAlgorithm(signer)).build(signer);
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (IOException | OperatorCreationException | CertificateException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build a certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The CA's own key identifier, whatever method computed it (a loaded CA may not use SHA-1 of the key), and only
     * that: naming the CA's issuer and serial too would tie the leaves to this one CA certificate, not to its key.
     */
    private static AuthorityKeyIdentifier authorityKeyId(JcaX509ExtensionUtils ext, X509Certificate issuer)
            throws IOException {
        byte[] ski = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski == null) {
            return ext.createAuthorityKeyIdentifier(issuer.getPublicKey());
        }
        return new AuthorityKeyIdentifier(
                SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(ski)).getKeyIdentifier());
    }

    private static X500Name name(String commonName) {
        Objects.requireNonNull(commonName, "commonName");
        if (commonName.isBlank()) {
            throw new IllegalArgumentException("empty common name");
        }
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    /** 128 random bits, the top one set so that it is never zero or short; positive (RFC 5280: at most 20 bytes). */
    private static BigInteger serial() {
        return new BigInteger(128, Keys.RANDOM).setBit(127);
    }

    private static Duration positive(Duration validity) {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be more than zero, not " + validity);
        }
        return validity;
    }
}
