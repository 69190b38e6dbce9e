package io.partita.tools.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The throwaway certificates of a local cluster ({@code partita local --secure}), kept in one directory:
 * <pre>{@code
 * LocalCertificates tls = LocalCertificates.ensure(dir.resolve("tls"), List.of("n1", "n2", "n3"),
 *         Map.of("n1", List.of("127.0.0.1", "localhost"), ...));
 * tls.caFile(); tls.certFile("n1"); tls.keyFile("n1"); tls.clientCertFile(); tls.clientKeyFile();
 * }</pre>
 * Files: {@code ca.crt}, {@code ca.key}, {@code <id>.crt} and {@code <id>.key} per node, {@code client.crt} and
 * {@code client.key} (CN {@value #CLIENT_NAME}). The CA is valid 10 years, the others 1 year.
 */
public final class LocalCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCertificates.class);

    /** The client certificate's common name. */
    public static final String CLIENT_NAME = "partita-local-client";

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration VALIDITY = Duration.ofDays(365);

    /** Node ids become file names: no separators, no hidden files; "ca" and "client" are taken. */
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path dir;

    private LocalCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * Makes {@code tlsDir} hold a CA and valid certificates for {@code nodeIds} and the client, writing only what is
     * missing: a second call with the same arguments changes no file, one with an extra node id adds that node's
     * files (a cluster grown from 3 to 5 nodes). A node or client certificate is issued again when it is not the
     * CA's, has expired, or (nodes) does not name exactly the given hosts; a CA with one of its two files missing is
     * replaced, which re-issues everything it signed. Files of node ids not given are left alone.
     *
     * @param hostsByNode for each node id, the hosts its certificate names (its advertise address)
     * @throws CertificateFileException if the CA files exist but cannot be used (see
     *                                  {@link CertificateAuthority#load})
     * Not for concurrent callers on one directory (one {@code partita local} runs per directory).
     *
     * @throws IllegalArgumentException for a node id that cannot be a file name, has no hosts, or a host that is
     *                                  neither an IP address nor a DNS name; nothing is written then
     */
    public static LocalCertificates ensure(Path tlsDir, List<String> nodeIds, Map<String, List<String>> hostsByNode)
            throws IOException {
        LocalCertificates files = new LocalCertificates(tlsDir);
        for (String id : nodeIds) {
            List<String> hosts = hostsByNode.get(checkNodeId(id));
            if (hosts == null || SubjectAltNames.normalize(hosts).isEmpty()) {
                throw new IllegalArgumentException("node " + id + ": no hosts for its certificate");
            }
        }
        CertificateAuthority ca = files.ensureCa();
        for (String id : nodeIds) {
            List<String> hosts = hostsByNode.get(id);
            files.ensureLeaf(ca, files.certFile(id), files.keyFile(id), SubjectAltNames.canonical(hosts),
                    () -> ca.issueNode(id, hosts, VALIDITY));
        }
        files.ensureLeaf(ca, files.clientCertFile(), files.clientKeyFile(), null,
                () -> ca.issueClient(CLIENT_NAME, VALIDITY));
        return files;
    }

    /** The CA certificate: what nodes and clients trust. */
    public Path caFile() {
        return dir.resolve("ca.crt");
    }

    /** The CA's private key (mode 0600). */
    public Path caKeyFile() {
        return dir.resolve("ca.key");
    }

    /** Node {@code nodeId}'s certificate. */
    public Path certFile(String nodeId) {
        return dir.resolve(checkNodeId(nodeId) + ".crt");
    }

    /** Node {@code nodeId}'s private key (PKCS#8 PEM, mode 0600). */
    public Path keyFile(String nodeId) {
        return dir.resolve(checkNodeId(nodeId) + ".key");
    }

    /** The client certificate (CN {@value #CLIENT_NAME}), e.g. for the admin commands. */
    public Path clientCertFile() {
        return dir.resolve("client.crt");
    }

    /** The client's private key (PKCS#8 PEM, mode 0600). */
    public Path clientKeyFile() {
        return dir.resolve("client.key");
    }

    private CertificateAuthority ensureCa() throws IOException {
        boolean cert = Files.exists(caFile());
        boolean key = Files.exists(caKeyFile());
        if (cert && key) {
            return CertificateAuthority.load(caFile(), caKeyFile());
        }
        if (cert || key) {
            // Half a CA (a crash between the two writes, or a deleted file) signs nothing usable; the leaves are
            // checked against the new one below and issued again.
            LOG.warn("{} holds only {} of the CA; creating a new CA", dir, cert ? "ca.crt" : "ca.key");
        }
        CertificateAuthority ca = CertificateAuthority.create("partita-local-ca", CA_VALIDITY);
        ca.writeTo(caFile(), caKeyFile());
        LOG.info("Created the local CA in {}", caFile());
        return ca;
    }

    /** Keeps the certificate if it is usable, else issues and writes a new one. */
    private void ensureLeaf(CertificateAuthority ca, Path certFile, Path keyFile, Set<String> hosts,
                            Supplier<IssuedCertificate> issuer) throws IOException {
        String problem = problem(ca, certFile, keyFile, hosts);
        if (problem == null) {
            return;
        }
        if (!problem.isEmpty()) {
            LOG.info("Issuing {} again: {}", certFile, problem);
        }
        issuer.get().writeTo(certFile, keyFile);
    }

    /** Null when the files are usable, "" when absent, else what is wrong with them. */
    private static String problem(CertificateAuthority ca, Path certFile, Path keyFile, Set<String> hosts) {
        if (!Files.exists(certFile) || !Files.exists(keyFile)) {
            return "";
        }
        IssuedCertificate existing;
        try {
            existing = IssuedCertificate.load(certFile, keyFile);
        } catch (CertificateFileException e) {
            return e.getMessage();
        }
        X509Certificate cert = existing.certificate();
        try {
            cert.verify(ca.certificate().getPublicKey());
            cert.checkValidity();
            if (hosts != null && !Objects.equals(SubjectAltNames.of(cert), hosts)) {
                return "it names " + SubjectAltNames.of(cert) + ", not " + hosts;
            }
        } catch (GeneralSecurityException e) {
            return "not valid or not signed by " + ca.certificate().getSubjectX500Principal() + " (" + e + ")";
        }
        return null;
    }

    private static String checkNodeId(String id) {
        if (id == null || !NODE_ID.matcher(id).matches() || id.equals("ca") || id.equals("client")) {
            throw new IllegalArgumentException("'" + id + "' cannot name a node's certificate files (letters, "
                    + "digits, '.', '_' and '-'; not 'ca' or 'client')");
        }
        return id;
    }
}
