package io.partita.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The documented example and the key table must match the code, so the docs cannot drift. */
class ConfigDocsTest {

    /** Tests run in the module directory ({@code server/}); IDEs sometimes run them from the repository root. */
    static Path confFile(String name) {
        Path fromModule = Path.of("..", "conf", name);
        return Files.exists(fromModule) ? fromModule : Path.of("conf", name);
    }

    @Test
    void exampleParsesToTheDefaults() {
        NodeConfig config = ConfigLoader.load(confFile("node.yaml"));
        assertEquals(NodeConfig.defaults("n1", Path.of("./data")), config);
    }

    @Test
    void exampleShowsEveryKey() throws IOException {
        Set<String> documented = keyPaths(Files.readString(confFile("node.yaml"), StandardCharsets.UTF_8));
        Set<String> all = keyPaths(ConfigWriter.toYaml(NodeConfig.defaults("n1", Path.of("./data"))));
        assertEquals(all, documented);
        assertEquals(29, all.size(), all::toString); // 28 values and the namespaces list; guards the walk
    }

    @Test
    void exampleCommentsEveryKey() throws IOException {
        List<String> lines = Files.readAllLines(confFile("node.yaml"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.matches("(- )?[a-z-]+:.*") && !line.startsWith("#")) {
                String previous = lines.get(i - 1).strip();
                assertTrue(previous.startsWith("#") || previous.equals("-") || previous.startsWith("- #"),
                        () -> "no comment above '" + line + "'");
            }
        }
    }

    /** Keys the writer leaves out at their defaults are shown as commented-out examples and have a table row. */
    @Test
    void optionalKeysAreDocumented() throws IOException {
        NodeConfig base = NodeConfig.defaults("n1", Path.of("./data"));
        NodeConfig allSet = base
                .withListen(new NodeConfig.Listen("127.0.0.1", 7300, 7301, 7302, "10.0.0.5:17301"))
                .withRack("eu-west-1a")
                .withRebalance(new NodeConfig.Rebalance(4, java.time.Duration.ofHours(1)))
                .withLimits(new NodeConfig.Limits(10, 20, 3, 4));
        Set<String> optional = keyPaths(ConfigWriter.toYaml(allSet));
        optional.removeAll(keyPaths(ConfigWriter.toYaml(base)));
        assertEquals(Set.of("listen.advertise-raft-address", "rack", "rebalance.max-concurrent-moves",
                "rebalance.move-timeout", "limits.max-connections-per-client", "limits.max-calls-per-connection",
                "limits.max-concurrent-exports", "limits.max-concurrent-snapshot-fetches"), optional);
        String example = Files.readString(confFile("node.yaml"), StandardCharsets.UTF_8);
        String readme = Files.readString(confFile("README.md"), StandardCharsets.UTF_8);
        for (String key : optional) {
            String leaf = key.substring(key.lastIndexOf('.') + 1);
            assertTrue(example.matches("(?s).*\n\\s*#\\s+" + leaf + ": .*"),
                    () -> "conf/node.yaml has no commented-out example of " + key);
            assertTrue(readme.contains("| `" + key + "` |"), () -> "conf/README.md has no row for " + key);
        }
    }

    @Test
    void readmeTableListsEveryKey() throws IOException {
        String readme = Files.readString(confFile("README.md"), StandardCharsets.UTF_8);
        for (String key : keyPaths(ConfigWriter.toYaml(NodeConfig.defaults("n1", Path.of("./data"))))) {
            assertTrue(readme.contains("| `" + key + "` |"), () -> "conf/README.md has no row for " + key);
        }
    }

    private static Set<String> keyPaths(String yaml) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        Set<String> paths = new TreeSet<>();
        walk("", root, paths);
        return paths;
    }

    private static void walk(String prefix, Object node, Set<String> paths) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String path = prefix.isEmpty() ? e.getKey().toString() : prefix + "." + e.getKey();
                if (!(e.getValue() instanceof Map)) {
                    paths.add(path); // a key with a value (sections only group keys)
                }
                walk(path, e.getValue(), paths);
            }
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                walk(prefix + "[]", item, paths);
            }
        }
    }
}
