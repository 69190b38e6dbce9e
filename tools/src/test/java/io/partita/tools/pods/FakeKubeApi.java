package io.partita.tools.pods;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two Kubernetes API reads the pod scripts make, answered as the API server answers them: a StatefulSet (its
 * {@code spec.replicas}, which a scale changes) and nodes (their labels). No Kubernetes runs on these machines.
 */
final class FakeKubeApi implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger replicas = new AtomicInteger(1);
    private final Map<String, Map<String, String>> labels = new ConcurrentHashMap<>();

    FakeKubeApi(String namespace, String statefulSet) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String setPath = "/apis/apps/v1/namespaces/" + namespace + "/statefulsets/" + statefulSet;
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body;
            int code = 200;
            if (path.equals(setPath)) {
                body = "{\"kind\":\"StatefulSet\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"" + statefulSet
                        + "\",\"namespace\":\"" + namespace + "\"},\"spec\":{\"replicas\":" + replicas.get() + "}}";
            } else if (path.startsWith("/api/v1/nodes/") && labels.containsKey(path.substring(14))) {
                StringBuilder b = new StringBuilder();
                labels.get(path.substring(14)).forEach((k, v) ->
                        b.append(b.length() == 0 ? "" : ",").append('"').append(k).append("\":\"").append(v).append('"'));
                body = "{\"kind\":\"Node\",\"metadata\":{\"name\":\"" + path.substring(14) + "\",\"labels\":{" + b
                        + "}}}";
            } else {
                code = 404;
                body = "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code kubectl scale statefulset --replicas=n}, as far as the API's answer goes. */
    void replicas(int n) {
        replicas.set(n);
    }

    void label(String node, String key, String value) {
        labels.computeIfAbsent(node, k -> new ConcurrentHashMap<>()).put(key, value);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
