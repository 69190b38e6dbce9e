package io.partita.server.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.partita.server.metrics.NodeMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's admin HTTP listener, for probes, scrapers and scripts: {@code /health} (200 while the process runs),
 * {@code /ready} (200 once every local Raft group has a leader and this node has caught up; 503 with the reason
 * before, and whenever one of its replicas is stopped, stuck or missing) and
 * {@code /metrics} (every metric in the Prometheus text format; see docs/metrics.md).
 */
public final class AdminHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);

    private final HttpServer server;

    private AdminHttpServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Binds and starts the listener; {@code notReady} is asked at every {@code /ready} request and answers null when
     * the node is ready, else why not (one line, sent after "not ready: "). With {@code tls} non-null the listener
     * speaks HTTPS only.
     */
    public static AdminHttpServer start(String address, int port, Supplier<String> notReady, NodeMetrics metrics,
                                        SSLContext tls) throws IOException {
        InetSocketAddress bind = new InetSocketAddress(address, port);
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(bind, 16);
        } else {
            HttpsServer https = HttpsServer.create(bind, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/health", exchange -> respond(exchange, 200, "ok\n"));
        server.createContext("/ready", exchange -> {
            String why;
            try {
                why = notReady.get();
            } catch (RuntimeException e) {
                LOG.warn("Cannot tell readiness", e);
                why = "cannot tell: " + e;
            }
            respond(exchange, why == null ? 200 : 503, why == null ? "ready\n" : "not ready: " + why + "\n");
        });
        server.createContext("/metrics", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
            try {
                metrics.writePrometheus(body);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot render /metrics", e);
                respond(exchange, 500, "cannot render metrics: " + e + "\n");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", metrics.prometheusContentType());
            exchange.sendResponseHeaders(200, body.size());
            try (OutputStream out = exchange.getResponseBody()) {
                body.writeTo(out);
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "partita-admin-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        LOG.info("Admin {} listening on {}:{}", tls == null ? "HTTP" : "HTTPS", address,
                server.getAddress().getPort());
        return new AdminHttpServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
