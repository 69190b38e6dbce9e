package io.partita.tools.cli;

import io.partita.protocol.tls.TlsMaterial;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * This process's view of nodes' admin HTTP ports: plain HTTP, or HTTPS trusting the CA of a TLS cluster.
 *
 * <pre>{@code
 * AdminHttp admin = AdminHttp.plain();                // or AdminHttp.tls(material)
 * boolean ready = admin.isReady("127.0.0.1", 7302);   // GET /ready answered 200
 * }</pre>
 */
public final class AdminHttp {
    private final HttpClient http;
    private final boolean https;

    private AdminHttp(HttpClient http, boolean https) {
        this.http = http;
        this.https = https;
    }

    /** Plain HTTP, for nodes without TLS. */
    public static AdminHttp plain() {
        return new AdminHttp(builder().build(), false);
    }

    /** HTTPS, accepting node certificates from {@code material}'s CA file. */
    public static AdminHttp tls(TlsMaterial material) {
        return new AdminHttp(builder().sslContext(material.clientContext()).build(), true);
    }

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
    }

    /** The URL of a node's readiness check: {@code http(s)://address:adminPort/ready}. */
    public String readyUrl(String address, int adminPort) {
        String host = address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
        return (https ? "https://" : "http://") + host + ":" + adminPort + "/ready";
    }

    /** Whether {@code GET /ready} answers 200 now; false when it answers otherwise or nothing listens. */
    public boolean isReady(String address, int adminPort) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(readyUrl(address, adminPort)))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }
}
