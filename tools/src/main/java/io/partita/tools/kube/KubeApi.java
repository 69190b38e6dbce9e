package io.partita.tools.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The two facts a Partita pod asks the Kubernetes API for: how many replicas its StatefulSet wants (is this pod going
 * away for good?) and a label of the machine it runs on (its zone, for the node's rack). Read-only GETs with the
 * pod's service-account token; the RBAC rules in {@code deploy/kubernetes/base/rbac.yaml} allow exactly these.
 *
 * <pre>{@code
 * KubeApi api = KubeApi.fromEnvironment(System.getenv());   // inside a pod
 * int wanted = api.statefulSetReplicas("partita", "partita");
 * }</pre>
 *
 * <p>Outside a cluster (tests, a debugging session through {@code kubectl proxy}) {@code PARTITA_KUBE_API} names the
 * API's base URL; a plain http URL then needs no token.
 */
public final class KubeApi {
    /** Where Kubernetes mounts a pod's service-account credentials. */
    public static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http;

    KubeApi(URI base, String token, HttpClient http) {
        this.base = base;
        this.token = token;
        this.http = http;
    }

    /**
     * The API as the environment describes it: {@code PARTITA_KUBE_API} if set (token from
     * {@code PARTITA_KUBE_TOKEN_FILE}, optional), else the in-cluster service ({@code KUBERNETES_SERVICE_HOST} and
     * {@code _PORT}) with the service account's token and CA.
     *
     * @throws IOException saying what is missing when neither is there
     */
    public static KubeApi fromEnvironment(Map<String, String> env) throws IOException {
        String override = env.get("PARTITA_KUBE_API");
        if (override != null && !override.isBlank()) {
            String tokenFile = env.get("PARTITA_KUBE_TOKEN_FILE");
            String token = tokenFile == null || tokenFile.isBlank() ? null : Files.readString(Path.of(tokenFile)).trim();
            return new KubeApi(URI.create(override.replaceAll("/+$", "")), token,
                    HttpClient.newBuilder().connectTimeout(TIMEOUT).build());
        }
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        if (host == null || host.isBlank()) {
            throw new IOException("not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set) and "
                    + "PARTITA_KUBE_API is not set");
        }
        Path tokenFile = SERVICE_ACCOUNT.resolve("token");
        Path ca = SERVICE_ACCOUNT.resolve("ca.crt");
        if (!Files.isReadable(tokenFile) || !Files.isReadable(ca)) {
            throw new IOException("no service-account credentials under " + SERVICE_ACCOUNT + " (is "
                    + "automountServiceAccountToken off?)");
        }
        String h = host.contains(":") ? "[" + host + "]" : host; // an IPv6 service address
        return new KubeApi(URI.create("https://" + h + ":" + port), Files.readString(tokenFile).trim(),
                HttpClient.newBuilder().connectTimeout(TIMEOUT).sslContext(trusting(ca)).build());
    }

    /** An SSL context that trusts exactly the cluster's CA. */
    private static SSLContext trusting(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the cluster CA " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** The StatefulSet's {@code spec.replicas}: how many pods it wants now. */
    public int statefulSetReplicas(String namespace, String name) throws IOException {
        JsonNode set = get("/apis/apps/v1/namespaces/" + encode(namespace) + "/statefulsets/" + encode(name));
        JsonNode replicas = set.path("spec").path("replicas");
        // The API server defaults an unset replica count to 1.
        return replicas.isMissingNode() || replicas.isNull() ? 1 : replicas.asInt();
    }

    /** A label of a Kubernetes node (a machine), e.g. {@code topology.kubernetes.io/zone}; empty if it has none. */
    public Optional<String> nodeLabel(String node, String label) throws IOException {
        JsonNode value = get("/api/v1/nodes/" + encode(node)).path("metadata").path("labels").path(label);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private JsonNode get(String path) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Accept", "application/json").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking the Kubernetes API for " + path, e);
        }
        if (response.statusCode() != 200) {
            String body = response.body().length() > 300 ? response.body().substring(0, 300) : response.body();
            throw new IOException("the Kubernetes API answered " + response.statusCode() + " for GET " + path
                    + (response.statusCode() == 403 ? " (the pod's service account lacks the RBAC rule: see "
                    + "deploy/kubernetes/base/rbac.yaml)" : "") + ": " + body.strip());
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
