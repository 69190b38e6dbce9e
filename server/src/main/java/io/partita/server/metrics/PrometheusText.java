package io.partita.server.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scraped Prometheus text exposition: every sample by its series ({@code name{labels}}, labels as written). Read
 * by {@code partita stats} and by the tests of {@code /metrics}; only the sample lines this node writes need to
 * parse (no timestamps, no escaped quotes in label values).
 */
public final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, Double> samples;

    private PrometheusText(Map<String, Double> samples) {
        this.samples = samples;
    }

    /** GETs {@code http://127.0.0.1:<adminPort><path>}: status and body. */
    public static HttpResponse<String> get(int adminPort, String path) throws IOException, InterruptedException {
        return get("127.0.0.1:" + adminPort, path, Duration.ofSeconds(10));
    }

    /** GETs {@code http://<adminAddress><path>} within {@code timeout}: status and body. */
    public static HttpResponse<String> get(String adminAddress, String path, Duration timeout)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + adminAddress + path)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static PrometheusText scrape(int adminPort) throws IOException, InterruptedException {
        return scrape("127.0.0.1:" + adminPort, Duration.ofSeconds(10));
    }

    /**
     * Scrapes {@code /metrics} of the node whose admin listener is {@code adminAddress}.
     *
     * @throws IOException if the node cannot be reached in time or does not answer 200
     */
    public static PrometheusText scrape(String adminAddress, Duration timeout) throws IOException,
            InterruptedException {
        HttpResponse<String> r = get(adminAddress, "/metrics", timeout);
        if (r.statusCode() != 200) {
            throw new IOException("/metrics answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r.body());
    }

    public static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return new PrometheusText(samples);
    }

    /** The sample of {@code name} whose labels include every {@code label=value} given; null if none. */
    public Double value(String name, String... labels) {
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            if (matches(e.getKey(), name, labels)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static boolean matches(String series, String name, String... labels) {
        if (!series.equals(name) && !series.startsWith(name + "{")) {
            return false;
        }
        for (String label : labels) {
            String quoted = label.replaceFirst("=(.*)", "=\"$1\"");
            if (!series.contains("{" + quoted) && !series.contains("," + quoted)) {
                return false;
            }
        }
        return true;
    }

    /** The sum of every sample of {@code name} (all label sets). */
    public double sum(String name) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The largest sample of {@code name} whose labels include every {@code label=value} given; null if none. */
    public Double max(String name, String... labels) {
        Double best = null;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            if (matches(e.getKey(), name, labels) && !e.getValue().isNaN()
                    && (best == null || e.getValue() > best)) {
                best = e.getValue();
            }
        }
        return best;
    }

    /** Every metric name present. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (String series : samples.keySet()) {
            int brace = series.indexOf('{');
            names.add(brace < 0 ? series : series.substring(0, brace));
        }
        return names;
    }

    @Override
    public String toString() {
        return samples.toString();
    }
}
