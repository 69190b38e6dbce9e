package io.partita.tools.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kubernetes API questions, against a local HTTP server that answers as the API server does. */
class KubeApiTest {
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();
    private HttpServer server;
    private String url;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.put(path, auth == null ? "" : auth);
            String body = bodies.get(path);
            int code = body == null ? 404 : body.startsWith("403:") ? 403 : 200;
            byte[] bytes = (body == null ? "{\"kind\":\"Status\",\"reason\":\"NotFound\"}"
                    : code == 403 ? body.substring(4) : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsTheStatefulSetsReplicasWithTheToken() throws IOException {
        bodies.put("/apis/apps/v1/namespaces/db/statefulsets/partita", "{\"spec\":{\"replicas\":4}}");
        Path token = Files.writeString(dir.resolve("token"), "secret-token\n");
        KubeApi api = KubeApi.fromEnvironment(Map.of("PARTITA_KUBE_API", url + "/",
                "PARTITA_KUBE_TOKEN_FILE", token.toString()));

        assertEquals(4, api.statefulSetReplicas("db", "partita"));
        assertEquals("Bearer secret-token", authorizations.get("/apis/apps/v1/namespaces/db/statefulsets/partita"));
    }

    @Test
    void anUnsetReplicaCountIsOne() throws IOException {
        bodies.put("/apis/apps/v1/namespaces/db/statefulsets/partita", "{\"spec\":{}}");
        assertEquals(1, KubeApi.fromEnvironment(Map.of("PARTITA_KUBE_API", url)).statefulSetReplicas("db", "partita"));
    }

    @Test
    void aRefusalNamesTheRbacRule() {
        bodies.put("/apis/apps/v1/namespaces/db/statefulsets/partita", "403:{\"reason\":\"Forbidden\"}");
        IOException e = assertThrows(IOException.class, () ->
                KubeApi.fromEnvironment(Map.of("PARTITA_KUBE_API", url)).statefulSetReplicas("db", "partita"));
        assertTrue(e.getMessage().contains("403") && e.getMessage().contains("rbac.yaml"), e.getMessage());
    }

    @Test
    void readsANodeLabel() throws IOException {
        bodies.put("/api/v1/nodes/worker-1",
                "{\"metadata\":{\"labels\":{\"topology.kubernetes.io/zone\":\"eu-west-1a\"}}}");
        KubeApi api = KubeApi.fromEnvironment(Map.of("PARTITA_KUBE_API", url));

        assertEquals(Optional.of("eu-west-1a"), api.nodeLabel("worker-1", "topology.kubernetes.io/zone"));
        assertEquals(Optional.empty(), api.nodeLabel("worker-1", "rack"));
        assertThrows(IOException.class, () -> api.nodeLabel("worker-2", "rack"));
    }

    @Test
    void outsideAPodWithoutAnOverrideSaysWhatIsMissing() {
        IOException e = assertThrows(IOException.class, () -> KubeApi.fromEnvironment(Map.of()));
        assertTrue(e.getMessage().contains("KUBERNETES_SERVICE_HOST") && e.getMessage().contains("PARTITA_KUBE_API"),
                e.getMessage());
    }

    @Test
    void podOrdinals() {
        assertEquals(0, PodName.ordinal("partita-0"));
        assertEquals(12, PodName.ordinal("my-db-12"));
        assertEquals(-1, PodName.ordinal("partita"));
        assertEquals(-1, PodName.ordinal("partita-"));
        assertEquals(-1, PodName.ordinal("partita-x1"));
        assertEquals(-1, PodName.ordinal("-3"));
    }
}
