package io.partita.protocol.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates and key of one {@link TlsSettings}, loaded, checked, and loaded again when the files change.
 *
 * <pre>{@code
 * TlsMaterial tls = TlsMaterial.load(settings);           // fails at once on a bad or expired file
 * X509ExtendedKeyManager km = tls.keyManager();            // presents the current certificate
 * X509ExtendedTrustManager tm = tls.trustManager(true);    // verifies the CA, validity and host name
 * }</pre>
 *
 * <p>Certificates are rotated by replacing the files: the managers look at the files' modification times at most
 * once a second, during handshakes, and switch to the new material for the next handshake. New files that do not
 * load (half written, key not matching, expired) are logged and ignored; the previous material stays in use.
 * Connections already open keep the certificate they were made with.
 */
public final class TlsMaterial {
    private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
    private static final long RECHECK_NANOS = 1_000_000_000L;
    /** A certificate closer than this to its end is logged as a warning at each load. */
    private static final Duration EXPIRY_WARNING = Duration.ofDays(7);

    private final TlsSettings settings;
    private volatile Loaded loaded;
    private volatile long nextCheckNanos;

    private TlsMaterial(TlsSettings settings, Loaded loaded) {
        this.settings = settings;
        this.loaded = loaded;
        this.nextCheckNanos = System.nanoTime() + RECHECK_NANOS;
    }

    /**
     * Reads and checks the files: the CA file holds certificates, the key matches the certificate, and the
     * certificate is valid now and signed by a CA in the CA file (so that peers holding the same CA file accept it).
     *
     * @throws TlsConfigException naming the file at fault and what to do
     */
    public static TlsMaterial load(TlsSettings settings) {
        return new TlsMaterial(settings, Loaded.read(settings));
    }

    public TlsSettings settings() {
        return settings;
    }

    /** The certificate presented, or null if these settings present none. */
    public X509Certificate certificate() {
        Loaded l = current();
        return l.chain == null ? null : l.chain.get(0);
    }

    /**
     * A key manager presenting the current certificate.
     *
     * @throws IllegalStateException if the settings have no certificate
     */
    public X509ExtendedKeyManager keyManager() {
        if (!settings.hasIdentity()) {
            throw new IllegalStateException("TLS settings without a certificate: " + settings);
        }
        return new ReloadingKeyManager();
    }

    /**
     * A trust manager accepting certificates that are valid now and signed by a CA in the CA file.
     *
     * @param checkHostname also require a server's certificate to name the host that was dialed (a subject
     *                      alternative name, as HTTPS does); false where the peer is named otherwise (Raft peers are
     *                      dialed by node id, and clients have no host name to check)
     */
    public X509ExtendedTrustManager trustManager(boolean checkHostname) {
        return new CheckingTrustManager(checkHostname);
    }

    /**
     * A JDK context for HTTPS clients ({@code java.net.http.HttpClient}): trusts the CA file, checks the host name,
     * and presents the certificate if these settings have one.
     *
     * @throws TlsConfigException if the JDK cannot build the context
     */
    public javax.net.ssl.SSLContext clientContext() {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(settings.hasIdentity() ? new javax.net.ssl.KeyManager[] {keyManager()} : null,
                    new TrustManager[] {trustManager(true)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException("cannot set up TLS for HTTPS: " + e.getMessage(), e);
        }
    }

    /** Loads the files again if they changed since the last look (at most once a second). */
    private Loaded current() {
        long now = System.nanoTime();
        if (now - nextCheckNanos >= 0) {
            nextCheckNanos = now + RECHECK_NANOS;
            reloadIfChanged();
        }
        return loaded;
    }

    private synchronized void reloadIfChanged() {
        Loaded old = loaded;
        List<FileStamp> stamps = FileStamp.of(settings);
        if (stamps.equals(old.stamps)) {
            return;
        }
        try {
            Loaded fresh = Loaded.read(settings);
            loaded = fresh;
            LOG.info("TLS files changed; new handshakes use them: {}", fresh.describe());
        } catch (TlsConfigException e) {
            // Remember the broken state so the warning is not repeated every second; a later change is tried again.
            loaded = old.withStamps(stamps);
            LOG.warn("TLS files changed but cannot be used, keeping the previous ones: {}", e.getMessage());
        }
    }

    /** Modification time and size of one file, to notice a replacement. */
    private record FileStamp(Path file, long modifiedMillis, long size) {
        static List<FileStamp> of(TlsSettings s) {
            List<FileStamp> out = new ArrayList<>();
            for (Path p : new Path[] {s.caFile(), s.certFile(), s.keyFile()}) {
                if (p != null) {
                    try {
                        out.add(new FileStamp(p, Files.getLastModifiedTime(p).toMillis(), Files.size(p)));
                    } catch (IOException e) {
                        out.add(new FileStamp(p, -1, -1));
                    }
                }
            }
            return out;
        }
    }

    private record Loaded(List<FileStamp> stamps, List<X509Certificate> cas, X509TrustManager pkix,
                          List<X509Certificate> chain, X509ExtendedKeyManager keys, Path caFile) {
        static Loaded read(TlsSettings s) {
            List<FileStamp> stamps = FileStamp.of(s);
            List<X509Certificate> cas = PemFiles.certificates(s.caFile());
            X509TrustManager pkix = pkixTrustManager(s.caFile(), cas);
            List<X509Certificate> chain = null;
            X509ExtendedKeyManager keys = null;
            if (s.hasIdentity()) {
                chain = PemFiles.certificates(s.certFile());
                PrivateKey key = PemFiles.privateKey(s.keyFile());
                X509Certificate own = chain.get(0);
                checkKeyMatches(s, own, key);
                try {
                    own.checkValidity();
                } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                    throw new TlsConfigException(s.certFile() + ": " + validityProblem(own, "the certificate"), e);
                }
                String problem = chainProblem(chain, cas);
                if (problem != null) {
                    throw new TlsConfigException(s.certFile() + ": the certificate (" + subject(own)
                            + ") is not signed by a CA in " + s.caFile() + " (" + problem + "); peers that trust "
                            + "that CA file would refuse it: issue it from that CA or add its CA to the file");
                }
                keys = keyManager(chain, key);
                Duration left = Duration.between(Instant.now(), own.getNotAfter().toInstant());
                if (left.compareTo(EXPIRY_WARNING) < 0) {
                    LOG.warn("{}: the certificate ({}) expires on {}, in {} h; replace the file (it is reloaded)",
                            s.certFile(), subject(own), own.getNotAfter().toInstant(), left.toHours());
                }
            }
            return new Loaded(stamps, cas, pkix, chain, keys, s.caFile());
        }

        Loaded withStamps(List<FileStamp> newStamps) {
            return new Loaded(newStamps, cas, pkix, chain, keys, caFile);
        }

        String describe() {
            return chain == null ? "CA " + caFile + " (" + cas.size() + " certificates)"
                    : subject(chain.get(0)) + " until " + chain.get(0).getNotAfter().toInstant() + ", CA " + caFile;
        }
    }

    private static void checkKeyMatches(TlsSettings s, X509Certificate cert, PrivateKey key) {
        if (!Certificates.keyMatches(key, cert)) {
            throw new TlsConfigException(s.keyFile() + ": this key does not belong to the certificate in "
                    + s.certFile() + " (" + subject(cert) + "); give the key the certificate was issued for");
        }
    }

    /** Why {@code chain} does not lead to one of {@code cas}, or null if it does. */
    private static String chainProblem(List<X509Certificate> chain, List<X509Certificate> cas) {
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate ca : cas) {
                anchors.add(new TrustAnchor(ca, null));
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(chain), params);
            return null;
        } catch (CertPathValidatorException e) {
            return e.getMessage();
        } catch (GeneralSecurityException e) {
            return e.toString();
        }
    }

    private static X509TrustManager pkixTrustManager(Path caFile, List<X509Certificate> cas) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : cas) {
                store.setCertificateEntry("ca" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new TlsConfigException(caFile + ": the JVM made no X.509 trust manager from it");
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigException(caFile + ": cannot use these CA certificates (" + e + ")", e);
        }
    }

    private static X509ExtendedKeyManager keyManager(List<X509Certificate> chain, PrivateKey key) {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("partita", key, password, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance("NewSunX509");
            factory.init(store, password);
            return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigException("cannot use the certificate and key (" + e + ")", e);
        }
    }

    static String subject(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName();
    }

    private static String validityProblem(X509Certificate cert, String what) {
        Date now = new Date();
        if (now.after(cert.getNotAfter())) {
            return what + " (" + subject(cert) + ") expired on " + cert.getNotAfter().toInstant()
                    + "; issue a new one (for example 'partita tls node') and replace the file";
        }
        return what + " (" + subject(cert) + ") is not valid before " + cert.getNotBefore().toInstant()
                + "; check this machine's clock, or wait";
    }

    private final class ReloadingKeyManager extends X509ExtendedKeyManager {
        private X509ExtendedKeyManager keys() {
            return current().keys;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return keys().getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return keys().chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys().getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return keys().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return keys().chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return keys().chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys().getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys().getPrivateKey(alias);
        }
    }

    /**
     * Checks validity first (for a message that says "expired"), then the chain against the CA file, then, when
     * asked, the host name; each failure is a {@link CertificateException} whose message says what to do. The
     * handshake's peer sees it as a TLS alert, and the side that refused logs or reports this message.
     */
    private final class CheckingTrustManager extends X509ExtendedTrustManager {
        private final boolean checkHostname;

        CheckingTrustManager(boolean checkHostname) {
            this.checkHostname = checkHostname;
        }

        private void check(X509Certificate[] chain, String authType, boolean server, String peerHost, int peerPort)
                throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no certificate presented");
            }
            Loaded l = current();
            X509Certificate own = chain[0];
            String who = (server ? "the certificate of node " : "the client certificate of ")
                    + (peerHost == null ? "the peer" : peerHost + (peerPort > 0 ? ":" + peerPort : ""));
            try {
                own.checkValidity();
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                throw new CertificateException(validityProblem(own, who), e);
            }
            try {
                if (server) {
                    l.pkix.checkServerTrusted(chain, authType);
                } else {
                    l.pkix.checkClientTrusted(chain, authType);
                }
            } catch (CertificateException e) {
                throw new CertificateException(who + " (" + subject(own) + ", issued by "
                        + own.getIssuerX500Principal().getName() + ") is not signed by a CA in " + l.caFile
                        + ": use the CA that issued it, or a certificate from this CA", e);
            }
            if (server && checkHostname && peerHost != null && !Certificates.names(own, peerHost)) {
                throw new CertificateException(who + " (" + subject(own) + ") is for " + Certificates.subjectAltNames(own)
                        + ", not " + peerHost + ": connect by one of those names, or issue the node a certificate "
                        + "naming " + peerHost);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, authType, false, socket == null ? null : socket.getInetAddress().getHostAddress(),
                    socket == null ? 0 : socket.getPort());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            String host = socket == null ? null
                    : socket instanceof javax.net.ssl.SSLSocket s && s.getHandshakeSession() != null
                    ? s.getHandshakeSession().getPeerHost() : socket.getInetAddress().getHostAddress();
            check(chain, authType, true, host, socket == null ? 0 : socket.getPort());
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, authType, false, engine == null ? null : engine.getPeerHost(),
                    engine == null ? 0 : engine.getPeerPort());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, authType, true, engine == null ? null : engine.getPeerHost(),
                    engine == null ? 0 : engine.getPeerPort());
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, false, null, 0);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, true, null, 0);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return current().cas.toArray(new X509Certificate[0]);
        }
    }

    @Override
    public String toString() {
        return "TlsMaterial[" + Objects.requireNonNull(loaded).describe() + "]";
    }
}
