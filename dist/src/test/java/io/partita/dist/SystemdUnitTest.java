package io.partita.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd/partita.service: {@code systemd-analyze verify} accepts it, and it says what docs/deployment.md
 * promises (the tarball in /opt/partita, the config in /etc/partita, the state in /var/lib/partita, the stop that
 * leaves time for the leadership hand-off, hardening that leaves RocksDB a writable, executable tmp).
 */
class SystemdUnitTest {

    /**
     * What {@code systemd-analyze verify} may say about this unit on a machine that is not a Partita host: the user
     * and group do not exist. Every other line is a failure. (/opt/partita/bin/partita, which does not exist here
     * either, is rewritten to a real copy of the launcher instead of being tolerated, so that a typo in ExecStart=
     * still fails.)
     */
    private static final List<Pattern> TOLERATED = List.of(
            Pattern.compile("(?i).*\\b(user|group)\\b.*\\bpartita\\b.*(not found|does not exist|no such|unknown|"
                    + "failed to resolve).*"),
            Pattern.compile("(?i).*failed to resolve (user|group) partita.*"));

    @TempDir
    Path tmp;

    private static Path repo() {
        return Path.of(System.getProperty("partita.repo", "..")).toAbsolutePath().normalize();
    }

    private static Path unit() {
        return repo().resolve("deploy/systemd/partita.service");
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnit() throws Exception {
        Optional<Path> analyze = onPath("systemd-analyze");
        assumeTrue(analyze.isPresent(), "systemd-analyze is not installed (Debian: apt-get install systemd): "
                + "deploy/systemd/partita.service was not checked by systemd");

        // The unit as installed, except that /opt/partita is a copy of the launcher in a temp directory.
        Path opt = Files.createDirectories(tmp.resolve("opt/partita/bin"));
        Path launcher = Files.copy(repo().resolve("bin/partita"), opt.resolve("partita"));
        assertTrue(launcher.toFile().setExecutable(true));
        String text = Files.readString(unit());
        assertTrue(text.contains("ExecStart=/opt/partita/bin/partita "), "ExecStart= runs /opt/partita/bin/partita");
        Path copy = tmp.resolve("partita.service");
        Files.writeString(copy, text.replace("/opt/partita/", tmp.resolve("opt/partita") + "/"));

        TarballProcessTest.Result result = TarballProcessTest.run(
                List.of(analyze.get().toString(), "verify", copy.toString()), tmp,
                Map.of("PATH", "/usr/bin:/bin:/usr/sbin:/sbin", "LANG", "C.UTF-8", "SYSTEMD_LOG_COLOR", "0"));
        List<String> problems = new ArrayList<>();
        List<String> tolerated = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            (TOLERATED.stream().anyMatch(p -> p.matcher(line).matches()) ? tolerated : problems).add(line);
        }
        assertTrue(problems.isEmpty(), "systemd-analyze verify reported:\n" + String.join("\n", problems));
        if (tolerated.isEmpty()) {
            assertEquals(0, result.exitCode(), "systemd-analyze verify failed without a message: " + result);
        }
    }

    @Test
    void unitRunsTheInstalledTarballAsDocumented() throws Exception {
        Map<String, List<String>> service = section(Files.readString(unit()), "Service");
        assertEquals(List.of("/opt/partita/bin/partita server --conf /etc/partita/node.yaml"),
                service.get("ExecStart"));
        assertEquals(List.of("partita"), service.get("User"));
        assertEquals(List.of("partita"), service.get("Group"));
        assertEquals(List.of("partita"), service.get("StateDirectory"));
        assertEquals(List.of("/var/lib/partita"), service.get("WorkingDirectory"));
        assertEquals(List.of("on-failure"), service.get("Restart"));
        assertEquals(List.of("SIGTERM"), service.get("KillSignal"));
        // The node hands off leadership on SIGTERM (stop-hand-off, 10 s by default), then closes Raft and RocksDB.
        assertTrue(Integer.parseInt(service.get("TimeoutStopSec").get(0)) >= 120, "TimeoutStopSec >= 120");
        assertTrue(Long.parseLong(service.get("LimitNOFILE").get(0)) >= 65536, "LimitNOFILE >= 65536");
        String javaOpts = String.join(" ", service.get("Environment"));
        assertTrue(javaOpts.contains("PARTITA_JAVA_OPTS=") && javaOpts.contains("-XX:MaxRAMPercentage="), javaOpts);
        for (Map.Entry<String, String> setting : Map.of("NoNewPrivileges", "true", "ProtectSystem", "strict",
                "ProtectHome", "true", "PrivateTmp", "true").entrySet()) {
            assertEquals(List.of(setting.getValue()), service.get(setting.getKey()), setting.getKey());
        }
        // The JIT writes executable code, RocksDB loads a library it extracts to java.io.tmpdir.
        assertFalse(service.containsKey("MemoryDenyWriteExecute"), "MemoryDenyWriteExecute breaks the JVM");
        assertFalse(service.containsKey("NoExecPaths"), "NoExecPaths could stop RocksDB's JNI library from loading");

        List<String> sysusers = Files.readAllLines(repo().resolve("deploy/systemd/partita.sysusers")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).collect(Collectors.toList());
        assertEquals(1, sysusers.size(), sysusers.toString());
        assertTrue(sysusers.get(0).matches("u\\s+partita\\s+-\\s+.*/var/lib/partita\\s*"), sysusers.get(0));
    }

    /** The settings of one [section] of a unit file, by key, in order (a key may repeat). */
    private static Map<String, List<String>> section(String unit, String name) {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        String current = null;
        for (String raw : unit.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = line.substring(1, line.length() - 1);
            } else if (name.equals(current) && line.contains("=")) {
                int eq = line.indexOf('=');
                settings.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                        .add(line.substring(eq + 1).strip());
            }
        }
        return settings;
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/bin:/usr/sbin:/sbin";
        try (Stream<String> dirs = Stream.of(path.split(":"))) {
            return dirs.filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, command))
                    .filter(Files::isExecutable).findFirst();
        }
    }
}
