package io.partita.server.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names docs/metrics.md documents (the first column of its tables). */
public final class MetricDocs {
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z_]+)` \\|");

    private MetricDocs() {
    }

    /** A file of the repository, from the module directory (Maven) or the repository root (IDE). */
    public static Path repoFile(String path) {
        Path fromModule = Path.of("..").resolve(path);
        return Files.exists(fromModule) ? fromModule : Path.of(path);
    }

    public static Set<String> documented() throws IOException {
        Matcher m = ROW.matcher(Files.readString(repoFile("docs/metrics.md"), StandardCharsets.UTF_8));
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The documented family of a sample name: summaries' {@code _count} and {@code _sum} samples are their own. */
    public static String family(String sample) {
        return sample.replaceFirst("_(count|sum)$", "");
    }
}
