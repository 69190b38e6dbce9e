package io.partita.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** deploy/grafana/partita.json only queries metrics that docs/metrics.md documents, so the two cannot drift. */
class DashboardTest {
    private static final Pattern METRIC = Pattern.compile("\\b((?:partita|jvm)_[a-z_]+)\\b");

    @Test
    void everyQueriedMetricIsDocumented() throws IOException {
        Set<String> documented = MetricDocs.documented();
        assertTrue(documented.size() > 40, documented::toString);
        Set<String> queried = queriedMetrics();
        assertTrue(queried.size() > 15, queried::toString);
        Set<String> undocumented = new TreeSet<>();
        for (String name : queried) {
            if (!documented.contains(MetricDocs.family(name))) {
                undocumented.add(name);
            }
        }
        assertEquals(Set.of(), undocumented, "queried by the dashboard but not in docs/metrics.md");
    }

    /** Every partita_ and jvm_ name in the dashboard's queries (JSON is YAML, so SnakeYAML reads it). */
    private static Set<String> queriedMetrics() throws IOException {
        String json = Files.readString(MetricDocs.repoFile("deploy/grafana/partita.json"), StandardCharsets.UTF_8);
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(json);
        List<String> exprs = new ArrayList<>();
        collect(root, exprs);
        Set<String> names = new TreeSet<>();
        for (String expr : exprs) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static void collect(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (("expr".equals(k) || "query".equals(k)) && v instanceof String s) {
                    out.add(s);
                } else {
                    collect(v, out);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, out));
        }
    }
}
