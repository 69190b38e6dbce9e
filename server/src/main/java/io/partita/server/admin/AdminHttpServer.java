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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
    /**
     * Threads serving requests. The JDK server reads each request (and runs the TLS handshake) on one of them, so a
     * client that connects and stalls holds one until {@link #MAX_REQUEST_SECONDS} closes its connection: with this
     * many, probes keep their answers while a few connections stall.
     */
    static final int THREADS = 16;
    /** A request (TLS handshake and headers included) must arrive within this; a stalled one is closed. */
    static final long MAX_REQUEST_SECONDS = 10;
    /** A response must be taken within this (a client that stops reading /metrics is dropped). */
    static final long MAX_RESPONSE_SECONDS = 30;
    /** Connections open at once at most; more are refused (each reaches a thread only with a whole request). */
    static final int MAX_CONNECTIONS = 256;

    static {
        // The JDK server reads its limits once, from system properties, when its first instance is made; without
        // them a request may take forever and hold its thread. An operator's own -D settings win.
        setIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(MAX_REQUEST_SECONDS));
        setIfAbsent("sun.net.httpserver.maxRspTime", Long.toString(MAX_RESPONSE_SECONDS));
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private AdminHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
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
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "partita-admin-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        LOG.info("Admin {} listening on {}:{}", tls == null ? "HTTP" : "HTTPS", address,
                server.getAddress().getPort());
        return new AdminHttpServer(server, executor);
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
        executor.shutdownNow();
    }
}
