package io.partita.server.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scraped Prometheus text exposition: every sample by its series ({@code name{labels}}, labels as written). */
public final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Map<String, Double> samples;

    private PrometheusText(Map<String, Double> samples) {
        this.samples = samples;
    }

    /** GETs {@code http://127.0.0.1:<adminPort><path>}: status and body. */
    public static HttpResponse<String> get(int adminPort, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static PrometheusText scrape(int adminPort) throws IOException, InterruptedException {
        HttpResponse<String> r = get(adminPort, "/metrics");
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

    /** The sample of {@code name} whose labels include every {@code label="value"} given; null if none. */
    public Double value(String name, String... labels) {
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String series = e.getKey();
            if (!series.equals(name) && !series.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                String quoted = label.replaceFirst("=(.*)", "=\"$1\"");
                all &= series.contains("{" + quoted) || series.contains("," + quoted);
            }
            if (all) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The sum of every sample of {@code name} (all label sets). */
    public double sum(String name) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Every metric name present. */
    public java.util.Set<String> names() {
        java.util.Set<String> names = new java.util.TreeSet<>();
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
