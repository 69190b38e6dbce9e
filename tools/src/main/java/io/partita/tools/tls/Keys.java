package io.partita.tools.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Key generation and the checks on loaded keys; the JDK's providers do the cryptography. */
final class Keys {

    static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    /** A new EC P-256 key pair. */
    static KeyPair generate() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate EC P-256 keys", e);
        }
    }

    /** The signature algorithm for certificates signed with {@code key}: SHA-256 with ECDSA, or RSA for RSA CAs. */
    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm()
                    + " (use an EC or RSA key)");
        };
    }

    /**
     * Whether {@code key} is the private half of the certificate's public key: signs a random challenge and verifies
     * it, which works for any key type without deriving the public key.
     */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        try {
            String algorithm = signatureAlgorithm(key);
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Different key types (an RSA key for an EC certificate) land here: not a match.
            return false;
        }
    }

    /** The subject's CN, or the whole subject when it has none. */
    static String commonName(X509Certificate cert) {
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] cns = name.getRDNs(BCStyle.CN);
        return cns.length == 0 ? name.toString() : IETFUtils.valueToString(cns[0].getFirst().getValue());
    }
}
